using Shop.Application.Caching;

namespace Shop.Application.Abstractions;

/// <summary>Cache-aside for many keys at once (port): one Redis round trip for all of them, then one fill.</summary>
public interface IBatchCacheRead
{
    /// <summary>
    /// Reads many keys: L1 first, then all the rest from Redis in one round trip. Found and known-absent keys are in
    /// <see cref="CacheBatchResult{T}.Found"/> (absent as null); the fill leases of the keys still missing are taken
    /// (one more pipelined round trip) and returned in <see cref="CacheBatchResult{T}.Lease"/>.
    /// </summary>
    ValueTask<CacheBatchResult<T>> GetManyAsync<T>(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
        where T : class;

    /// <summary>
    /// Stores the values loaded for a batch's missing keys (absent as null) in L1 and, without waiting for it, in Redis
    /// for the keys whose lease <paramref name="batch"/> holds and no write has revoked since.
    /// </summary>
    void Fill<T>(CacheBatchResult<T> batch, IReadOnlyList<KeyValuePair<CacheKey, T?>> loaded)
        where T : class;
}
