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
