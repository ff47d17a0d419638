using Microsoft.Extensions.Options;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Negative caching without a memory lever: "this id does not exist" always goes to L1 (bounded by
/// <c>Cache:L1SizeLimit</c>), but to Redis only while this instance's token bucket of
/// <c>Cache:NegativeRedisWritesPerSecond</c> (burst of the same size) has a token. Anyone can ask for random missing ids,
/// so without the budget each request could create up to 100 Redis keys; with it, absent entries in Redis are at most
/// instances × rate × NegativeTtl × (1 + Jitter) + instances × burst, whatever the traffic.
/// Guarantees: that bound, and a repeated missing id still skips PostgreSQL on the instance that saw it (L1), and on
/// every instance while the budget lasts. Does not: tell an attacker's ids from real ones (a flood spends the budget,
/// so other instances then each load a missing id once per L1 TTL), or share the budget between instances.
/// </summary>
public sealed class NegativeCacheBudget(TimeProvider clock, IOptions<CacheOptions> options)
{
    private readonly double _rate = Math.Max(0, options.Value.NegativeRedisWritesPerSecond);
    private readonly Lock _gate = new();
    private double _tokens = Math.Max(0, options.Value.NegativeRedisWritesPerSecond);
    private long _refilled = clock.GetTimestamp();

    /// <summary>True if an absent entry may be written to Redis now (takes one token). Values never ask: they always go.</summary>
    public bool TryTakeRedisWrite()
    {
        lock (_gate)
        {
            var now = clock.GetTimestamp();
            _tokens = Math.Min(_rate, _tokens + (clock.GetElapsedTime(_refilled, now).TotalSeconds * _rate));
            _refilled = now;
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }
}
