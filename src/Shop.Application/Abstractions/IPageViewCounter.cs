namespace Shop.Application.Abstractions;

/// <summary>
/// What recording one view returned: the product's pending delta (views not yet moved to a flush batch, across all
/// instances), the views Redis holds that PostgreSQL may not have yet (pending + in flight), and the flushed total
/// as Redis mirrors it, or null when this Redis does not know it (after it lost its data, until the next flush).
/// </summary>
public readonly record struct RecordedView(long Pending, long Unflushed, long? Flushed)
{
    /// <summary>The product's views including this one; a lower bound while <see cref="Flushed"/> is unknown.</summary>
    public long Views => (Flushed ?? 0) + Unflushed;
}

/// <summary>A batch of views moved out of the pending counters and not yet cleaned up after its flush.</summary>
public readonly record struct InFlightViews(Guid BatchId, long Views);

/// <summary>
/// One product's views that Redis holds: <see cref="Pending"/> (not yet moved) and the batches in flight, which
/// PostgreSQL may or may not have applied yet (the batch id tells). <see cref="Moves"/> changes whenever a flusher
/// moves pending views into a batch, so a reader can tell whether a view it counted as pending has moved since.
/// </summary>
public sealed record PendingViews(long Pending, IReadOnlyList<InFlightViews> InFlight, long Moves);

/// <summary>
/// The write-behind page-view counter port. Infrastructure counts in Redis and flushes to PostgreSQL in batches;
/// both methods need Redis and throw <see cref="Common.ServiceUnavailableException"/> without it.
/// </summary>
public interface IPageViewCounter
{
    /// <summary>Counts one view in one Redis round trip; never touches PostgreSQL.</summary>
    ValueTask<RecordedView> RecordAsync(int productId, CancellationToken cancellationToken);

    /// <summary>The product's views that are in Redis: pending and in flight.</summary>
    ValueTask<PendingViews> ReadPendingAsync(int productId, CancellationToken cancellationToken);

    /// <summary>True if no flusher moved the product's shard since <paramref name="read"/> was taken.</summary>
    ValueTask<bool> UnmovedSinceAsync(int productId, PendingViews read, CancellationToken cancellationToken);
}
