using Microsoft.Extensions.Hosting;
using Shop.Infrastructure.Caching;

namespace Shop.Infrastructure.Observability;

/// <summary>
/// The cache's state as gauges on the Shop meter, read at each scrape: breaker state (0 closed, 1 half-open,
/// 2 open), L1 entry count, whether L1 is degraded (young entries only), and invalidations queued for retry. Also counts breaker
/// transitions. Registered from here so the caching classes stay free of metric plumbing.
/// </summary>
internal sealed class CacheGauges(ShopMetrics metrics, RedisCircuitBreaker breaker, L1Cache l1, InvalidationRetries retries) : IHostedService
{
    public static int StateValue(BreakerState state) => state switch
    {
        BreakerState.Closed => 0,
        BreakerState.HalfOpen => 1,
        _ => 2,
    };

    public static string StateName(BreakerState state) => state switch
    {
        BreakerState.Closed => "closed",
        BreakerState.HalfOpen => "half_open",
        _ => "open",
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.Gauge(ShopMetricNames.BreakerState, () => StateValue(breaker.State), "{state}",
            "Redis circuit breaker: 0 closed (Redis used), 1 half-open (one probe let through), 2 open (Redis skipped, reads fail open)");
        metrics.Gauge(ShopMetricNames.L1Entries, () => l1.Count, "{entry}", "Entries in this instance's in-process L1 cache");
        metrics.Gauge(ShopMetricNames.L1Degraded, () => l1.Degraded ? 1 : 0, "{state}",
            "1 while L1 serves only entries younger than Cache:DegradedL1Ttl (invalidation subscription down or breaker open)");
        metrics.Gauge(ShopMetricNames.InvalidationsPending, () => retries.Pending, "{message}",
            "Invalidations that could not reach Redis, queued for retry");
        breaker.StateChanged += OnStateChanged;
        return Task.CompletedTask;
    }

    private void OnStateChanged(BreakerState state) => metrics.BreakerTransition(StateName(state));

    public Task StopAsync(CancellationToken cancellationToken)
    {
        breaker.StateChanged -= OnStateChanged;
        return Task.CompletedTask;
    }
}
