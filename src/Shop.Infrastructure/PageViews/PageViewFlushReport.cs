namespace Shop.Infrastructure.PageViews;

/// <summary>
/// One flush: shards owned, batches handled (of which left in flight by an earlier flusher, and of which PostgreSQL
/// already had, so they added nothing), products updated and views added in PostgreSQL, and database transactions
/// used (0 when there was nothing to move, else 1).
/// </summary>
public sealed record PageViewFlushReport(
    PageViewFlushTrigger Trigger, int Shards, int Batches, int RecoveredBatches, int AlreadyAppliedBatches, int Products, long Views,
    int DatabaseTransactions, TimeSpan Duration);

