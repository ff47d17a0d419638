using Shop.Application.Caching;

namespace Shop.Application.Abstractions;

/// <summary>
/// A batch read's cached part; <see cref="Outcome"/> is L2 when anything came from Redis, else L1. <see cref="Lease"/>
/// is what the caller hands back to <see cref="IBatchCacheRead.Fill{T}"/> with the values it loaded for the rest.
/// </summary>
public sealed record CacheBatchResult<T>(IReadOnlyDictionary<CacheKey, T?> Found, CacheOutcome Outcome, CacheFillLease Lease)
    where T : class;
