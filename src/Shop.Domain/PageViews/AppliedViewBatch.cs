namespace Shop.Domain.PageViews;

/// <summary>
/// A write-behind batch of page views already added to <see cref="ProductViewTotal"/>. Recorded in the same
/// transaction as the deltas, so applying the same batch again (after a crash between the commit and the cleanup
/// in Redis) changes nothing.
/// </summary>
public sealed class AppliedViewBatch
{
    private AppliedViewBatch() { }

    public Guid BatchId { get; private set; }
    public DateTimeOffset AppliedAt { get; private set; }
}
