namespace Shop.Infrastructure.Caching;

/// <summary>
/// TTL jitter: entries written together (a deploy, a warm-up, a batch back-fill) get lifetimes spread over
/// ±<c>Jitter</c>, so they do not all expire in the same second and send a wave of misses to PostgreSQL.
/// Guarantees: the result lies in [ttl × (1 − j), ttl × (1 + j)]. Does not: coordinate anything across keys.
/// </summary>
public static class TtlJitter
{
    public static TimeSpan Apply(TimeSpan ttl, double jitter)
    {
        if (jitter <= 0) return ttl;
        var factor = 1 + ((Random.Shared.NextDouble() * 2) - 1) * jitter;
        return TimeSpan.FromMilliseconds(Math.Max(1, ttl.TotalMilliseconds * factor));
    }
}
