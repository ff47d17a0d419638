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
