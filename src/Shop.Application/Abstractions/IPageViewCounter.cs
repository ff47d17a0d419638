namespace Shop.Application.Abstractions;

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
