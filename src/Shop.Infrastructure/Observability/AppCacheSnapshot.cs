namespace Shop.Infrastructure.Observability;

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
