namespace Shop.Infrastructure.Observability;

/// <summary>Loads from PostgreSQL, stampede protection, invalidation and fail-open counts.</summary>
public sealed record CacheEventStats(
    long Loads, double? LoadMeanMs, long LoadsLastMinute, double? LoadMeanMsLastMinute,
    long StampedeWaits, long Coalesced, long InvalidationsPublished, long InvalidationsReceived,
    long FailOpen, long FailOpenLastMinute);
