using Shop.Application.Caching;

namespace Shop.Application.Abstractions;

/// <summary>Where a cached read was answered from; the API shows it as the X-Cache header.</summary>
public enum CacheOutcome
{
    L1 = 1,
    L2 = 2,
    Miss = 3,
}

/// <summary>The answer of a cached read: the value, or null when the entity is known to be absent.</summary>
public readonly record struct CacheResult<T>(T? Value, CacheOutcome Outcome)
    where T : class;

/// <summary>A batch read's cached part; <see cref="Outcome"/> is L2 when anything came from Redis, else L1.</summary>
public sealed record CacheBatchResult<T>(IReadOnlyDictionary<CacheKey, T?> Found, CacheOutcome Outcome)
    where T : class;

/// <summary>
/// The cache port. Infrastructure implements it as a two-level cache (in-process L1, Redis L2) with
/// stampede protection and fail-open on Redis faults. A loader returns null for "absent", which is cached
/// for a short time (negative caching).
/// </summary>
public interface ICache
{
    /// <summary>
    /// Cache-aside for one key. <paramref name="state"/> is handed to <paramref name="load"/>, so callers can pass a
    /// static lambda and a hit allocates nothing.
    /// </summary>
    ValueTask<CacheResult<T>> GetOrLoadAsync<T, TState>(
        CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T?>> load, CancellationToken cancellationToken)
        where T : class;

    /// <summary>
    /// Reads many keys: L1 first, then all the rest from Redis in one round trip. Found and known-absent keys are in
    /// <see cref="CacheBatchResult{T}.Found"/> (absent as null); the fill leases of the keys still missing are taken
    /// (one more pipelined round trip) so that <see cref="SetMany{T}"/> can store what the database returns.
    /// </summary>
    ValueTask<CacheBatchResult<T>> GetManyAsync<T>(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
        where T : class;

    /// <summary>
    /// Stores the values a batch loaded (absent as null) in L1 and, without waiting for it, in Redis for the keys whose
    /// lease <see cref="GetManyAsync{T}"/> took and no write has revoked since.
    /// </summary>
    void SetMany<T>(IReadOnlyList<KeyValuePair<CacheKey, T?>> entries)
        where T : class;

    /// <summary>
    /// Deletes the keys and groups in Redis (one pipelined round trip, together with the pub/sub message) and drops
    /// them from every instance's L1. Each key's fill lease is revoked too, so a read that loaded older data before
    /// this write cannot store it afterwards.
    /// </summary>
    ValueTask InvalidateAsync(CacheInvalidation invalidation, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a value just committed to the database: in Redis only if the entry there is absent or older
    /// (compare-and-set on <paramref name="version"/>), in this instance's L1, and drops it from the others' L1.
    /// </summary>
    ValueTask WriteThroughAsync<T>(CacheKey key, T value, long version, CancellationToken cancellationToken)
        where T : class;

    /// <summary>Fetches keys that will be read next in this request (one round trip), so the reads hit memory.</summary>
    ValueTask PrefetchAsync(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken);
}

/// <summary>Per-request record of cache outcomes (scoped). With several reads, the slowest outcome wins.</summary>
public sealed class CacheTrace
{
    public CacheOutcome? Outcome { get; private set; }

    public void Record(CacheOutcome outcome)
    {
        if (Outcome is null || outcome > Outcome) Outcome = outcome;
    }
}
