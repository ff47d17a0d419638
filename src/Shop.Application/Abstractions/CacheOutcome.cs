namespace Shop.Application.Abstractions;

/// <summary>Where a cached read was answered from; the API shows it as the X-Cache header. Ordered best to worst.</summary>
public enum CacheOutcome
{
    L1 = 1,
    L2 = 2,
    Miss = 3,

    /// <summary>PostgreSQL failed or was too slow: a copy past its TTL (bounded by Cache:FailSafeMaxStaleness) answered.</summary>
    Stale = 4,
}
