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

    /// <summary>Timeout of the flusher's own Redis connection (a claim can return thousands of deltas).</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long applied batch ids are kept for deduplication. A batch can only be replayed while it is in flight in
    /// Redis, which lasts until the next flush after a crash, so days are plenty.
    /// </summary>
    public TimeSpan BatchRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a flusher deletes applied batch ids older than <see cref="BatchRetention"/>.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}
