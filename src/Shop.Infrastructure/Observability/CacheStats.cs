namespace Shop.Infrastructure.Observability;

/// <summary>The body of <c>GET /api/cache/stats</c>: this instance's view and Redis's view, side by side.</summary>
public sealed record CacheStatsReport(DateTimeOffset GeneratedAt, InstanceStats Instance, AppCacheSnapshot App, RedisStats Redis);

/// <summary>Which instance answered, and the state of its cache machinery right now.</summary>
public sealed record InstanceStats(string Id, double UptimeSeconds, string Breaker, long L1Entries, bool L1Bypassed, bool InvalidationsSubscribed);

/// <summary>
/// Counts from <see cref="CacheStatsAggregator"/>: since start, over the last minute, per entry type, and one
/// <see cref="SecondStats"/> per second of the last minute (for the chart on /cache).
/// </summary>
public sealed record AppCacheSnapshot(
    DateTimeOffset StartedAt,
    LookupStats SinceStart,
    LookupStats LastMinute,
    IReadOnlyDictionary<string, LookupStats> ByEntryTypeSinceStart,
    RequestLatencyStats RequestsLastMinute,
    CacheEventStats Events,
    IReadOnlyList<SecondStats> Seconds);

/// <summary>
/// Lookups by the level that answered them. <c>L1Hits</c> and <c>L2Hits</c> include negative hits ("this id does not
/// exist", answered from the cache); <c>NegativeHits</c> counts those alone; <c>Misses</c> went to PostgreSQL.
/// Rates: <c>HitRate</c> = (L1 + L2) / lookups; <c>L1HitRate</c> = L1 / lookups; <c>L2HitRate</c> = L2 / the lookups
/// that reached Redis (L2 + misses). Null when there is nothing to divide.
/// </summary>
public sealed record LookupStats(long Lookups, long L1Hits, long L2Hits, long NegativeHits, long Misses, double? HitRate, double? L1HitRate, double? L2HitRate)
{
    internal static LookupStats From(LookupCounts c)
    {
        var l1 = c.L1Hits + c.L1NegativeHits;
        var l2 = c.L2Hits + c.L2NegativeHits;
        var lookups = l1 + l2 + c.Misses;
        return new LookupStats(lookups, l1, l2, c.L1NegativeHits + c.L2NegativeHits, c.Misses,
            Ratio(l1 + l2, lookups), Ratio(l1, lookups), Ratio(l2, l2 + c.Misses));
    }

    internal static double? Ratio(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}

/// <summary>One second of the last minute (unix time <c>T</c>): lookups, requests and their latency, loads.</summary>
public sealed record SecondStats(long T, LookupStats Lookups, long Requests, double? MeanMs, double? P50Ms, double? P99Ms, long Loads, double? LoadMeanMs);

/// <summary>Latency of the API's /api routes (not /metrics, health or the stats polling), estimated from buckets.</summary>
public sealed record RequestLatencyStats(long Requests, double? MeanMs, double? P50Ms, double? P99Ms);

/// <summary>Loads from PostgreSQL, stampede protection, invalidation and fail-open counts.</summary>
public sealed record CacheEventStats(
    long Loads, double? LoadMeanMs, long LoadsLastMinute, double? LoadMeanMsLastMinute,
    long StampedeWaits, long Coalesced, long InvalidationsPublished, long InvalidationsReceived,
    long FailOpen, long FailOpenLastMinute);

/// <summary>Redis's own view: one entry per primary node (one on a standalone server, several on a cluster).</summary>
public sealed record RedisStats(string Mode, IReadOnlyList<RedisNodeStats> Nodes);

/// <summary>
/// Fields of one node's INFO, and its latest SLOWLOG entries. <c>KeyspaceHitRate</c> = keyspace_hits /
/// (keyspace_hits + keyspace_misses), over the node's whole uptime and every client (not only this instance).
/// </summary>
public sealed record RedisNodeStats(
    string Endpoint,
    bool Connected,
    string? Error,
    string? Version,
    string? Role,
    long? UptimeSeconds,
    long? KeyspaceHits,
    long? KeyspaceMisses,
    double? KeyspaceHitRate,
    long? UsedMemory,
    string? UsedMemoryHuman,
    long? MaxMemory,
    string? MaxMemoryPolicy,
    double? MemFragmentationRatio,
    long? EvictedKeys,
    long? ExpiredKeys,
    long? ConnectedClients,
    IReadOnlyList<SlowlogEntry> Slowlog);

/// <summary>One SLOWLOG entry: the command (arguments shortened) and how long Redis spent executing it.</summary>
public sealed record SlowlogEntry(long Id, DateTime Time, double DurationMs, string Command);
