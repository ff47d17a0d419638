using Shop.Infrastructure.Caching;

namespace Shop.Infrastructure.Observability;

/// <summary>Puts together the report of <c>GET /api/cache/stats</c>: this instance, its counters, and Redis's view.</summary>
public sealed class CacheStatsReader(
    CacheStatsAggregator aggregator, RedisServerStats redis, CacheInstance instance, RedisCircuitBreaker breaker, L1Cache l1,
    InvalidationSubscriber subscriber, TimeProvider clock)
{
    public const int SlowlogEntries = 10;

    public async Task<CacheStatsReport> ReadAsync(CancellationToken cancellationToken)
    {
        var redisStats = await redis.ReadAsync(SlowlogEntries, cancellationToken);
        var now = clock.GetUtcNow();
        return new CacheStatsReport(
            now,
            new InstanceStats(instance.Id, Math.Round((now - aggregator.StartedAt).TotalSeconds, 1),
                CacheGauges.StateName(breaker.State), l1.Count, l1.Degraded, subscriber.Subscribed),
            aggregator.Snapshot(),
            redisStats);
    }
}
