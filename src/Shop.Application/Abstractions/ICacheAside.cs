using Shop.Application.Caching;

namespace Shop.Application.Abstractions;

/// <summary>
/// Cache-aside for one key (port). Infrastructure implements it as a two-level cache (in-process L1, Redis L2) with
/// stampede protection and fail-open on Redis faults. A loader returns null for "absent", which is cached for a
/// short time (negative caching).
/// </summary>
public interface ICacheAside
{
    /// <summary>
    /// <paramref name="state"/> is handed to <paramref name="load"/>, so callers can pass a static lambda and a hit
    /// allocates nothing.
    /// </summary>
    ValueTask<CacheResult<T>> GetOrLoadAsync<T, TState>(
        CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T?>> load, CancellationToken cancellationToken)
        where T : class;
}

/// <summary>
/// The answer of a cached read: the value, or null when the entity is known to be absent. <see cref="Age"/> is how long
/// ago the value was loaded from PostgreSQL, set for <see cref="CacheOutcome.Stale"/> answers.
/// </summary>
public readonly record struct CacheResult<T>(T? Value, CacheOutcome Outcome, TimeSpan? Age = null)
    where T : class;

/// <summary>Where a cached read was answered from; the API shows it as the X-Cache header. Ordered best to worst.</summary>
public enum CacheOutcome
{
    L1 = 1,
    L2 = 2,
    Miss = 3,

    /// <summary>PostgreSQL failed or was too slow: a copy past its TTL (bounded by Cache:FailSafeMaxStaleness) answered.</summary>
    Stale = 4,
}
