namespace Shop.Infrastructure.PageViews;

/// <summary>The <c>PageViews</c> configuration section: the write-behind flusher (the API reads its rate limit from the same section).</summary>
public sealed class PageViewOptions
{
    public const string Section = "PageViews";

    /// <summary>Timer flush: at most this long after the previous flush (also the period of crash recovery).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A product whose pending delta reaches this many views triggers a flush at once.</summary>
    public long FlushThreshold { get; set; } = 100;

    /// <summary>Flush once more when the host stops gracefully.</summary>
    public bool FlushOnShutdown { get; set; } = true;

    /// <summary>
    /// How long a flusher owns a shard. A flusher that dies keeps its shards' in-flight batches unfinished this long at
    /// most; then any instance takes the shards over and finishes them. Longer than a flush takes: a flush that outlives
    /// its lease (a slow commit) is fenced out of its cleanup, which is safe but leaves the batches to the next owner.
    /// </summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Timeout of the write-behind's own Redis connection: how long a flush step (a claim can return thousands of
    /// deltas) or a view's recording waits for a slow Redis before failing (a view then answers 503).
    /// </summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// While flushes fail (PostgreSQL or Redis down), the wait before the next attempt doubles from
    /// <see cref="FlushInterval"/> up to this (or FlushInterval if longer); threshold signals do not shorten it.
    /// </summary>
    public TimeSpan FlushRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long applied batch ids are kept for deduplication. A batch can only be replayed while it is in flight in
    /// Redis; one older than <see cref="MaxBatchAge"/> is refused (parked), so days are plenty.
    /// </summary>
    public TimeSpan BatchRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// An in-flight batch older than this (its age is in its UUIDv7 id) is refused instead of applied: parked in Redis,
    /// counted in <c>shop.pageviews.batches.refused</c> and logged. Must be shorter than <see cref="BatchRetention"/>,
    /// so a batch is never applied after its id could have been pruned (the margin covers clock skew between the
    /// instances and PostgreSQL).
    /// </summary>
    public TimeSpan MaxBatchAge { get; set; } = TimeSpan.FromDays(6);

    /// <summary>How often a flusher deletes applied batch ids older than <see cref="BatchRetention"/>.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}
