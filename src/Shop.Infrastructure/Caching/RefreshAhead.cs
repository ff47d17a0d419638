using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Shop.Infrastructure.Observability;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Refresh-ahead (eager refresh): a Redis hit in the last <c>Cache:RefreshAheadRatio</c> of its entry's TTL starts one
/// background reload, while readers keep getting the current value, so a hot key is reloaded before it expires and
/// never costs a reader a miss. Guarantees: at most one refresh per key at a time in this process (here) and across
/// instances (the refresh must take the key's <see cref="RedisLock"/>, and stores only while that lease holds, so a
/// write made meanwhile wins). Does not: refresh keys nobody reads (they expire as usual), or refresh from an L1 hit
/// (L1 lives <c>Cache:L1Ttl</c>, shorter than the refresh window with the default TTLs, so a hot key reaches Redis in time).
/// </summary>
public sealed class RefreshAhead(ShopMetrics metrics, TimeProvider clock, IOptions<CacheOptions> options)
{
    private readonly ConcurrentDictionary<string, byte> _running = new(StringComparer.Ordinal);

    /// <summary>Whether an entry loaded at <paramref name="loadedAt"/> and fresh until <paramref name="softExpiry"/> is due.</summary>
    public bool IsDue(DateTimeOffset loadedAt, DateTimeOffset softExpiry)
    {
        var ratio = options.Value.RefreshAheadRatio;
        if (ratio <= 0) return false;
        return clock.GetUtcNow() >= softExpiry - ((softExpiry - loadedAt) * Math.Min(ratio, 1));
    }

    /// <summary>Starts <paramref name="refresh"/> in the background unless one already runs for the key here.</summary>
    public void Start(string physicalKey, Func<Task<bool>> refresh)
    {
        if (!_running.TryAdd(physicalKey, 0)) return;
        _ = Task.Run(async () =>
        {
            try
            {
                if (await RunAsync(refresh)) metrics.RefreshedAhead();
            }
            finally
            {
                _running.TryRemove(physicalKey, out _);
            }
        });
    }

    private static async Task<bool> RunAsync(Func<Task<bool>> refresh)
    {
        try
        {
            return await refresh(); // false: another instance holds the key's lock and refreshes it
        }
        catch (Exception)
        {
            return false; // the entry still expires as usual; the next reader loads it
        }
    }
}
