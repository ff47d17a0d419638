using Microsoft.Extensions.Options;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Bulkhead: at most <c>Cache:MaxConcurrentLoads</c> cache loads run against PostgreSQL at once in this instance, so a
/// burst of misses (a cold start, a flushed Redis) queues here instead of exhausting the connection pool. A load waits
/// for a slot at most <c>Cache:FactorySoftTimeout</c>; past it the read answers a stale copy or 503. Does not: limit
/// writes or uncached reads, or coordinate instances (each has its own bulkhead).
/// </summary>
public sealed class LoadBulkhead(IOptions<CacheOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.MaxConcurrentLoads));

    /// <summary>Loads that may start now.</summary>
    public int Available => _slots.CurrentCount;

    /// <summary>Runs <paramref name="load"/> in a slot; throws <see cref="TimeoutException"/> if none frees up in time.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> load)
    {
        if (!await _slots.WaitAsync(options.Value.FactorySoftTimeout))
            throw new TimeoutException($"More than Cache:MaxConcurrentLoads ({options.Value.MaxConcurrentLoads}) loads are running.");
        try
        {
            return await load();
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
