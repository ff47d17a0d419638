using Microsoft.Extensions.DependencyInjection;

namespace Shop.Infrastructure.Observability;

public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>
    /// The cache's gauges, the in-process stats behind /api/cache/stats, and the Redis startup check. Exporting the
    /// Shop meter (Prometheus at /metrics) is the API's job: it owns the HTTP endpoint.
    /// </summary>
    public static IServiceCollection AddShopObservability(this IServiceCollection services)
    {
        services.AddSingleton<CacheStatsAggregator>();
        services.AddSingleton<RedisServerStats>();
        services.AddSingleton<CacheStatsReader>();
        services.AddSingleton<CacheGauges>();
        // Hosted services start before the server listens: the listener records from the first request on.
        services.AddHostedService(sp =>
        {
            _ = sp.GetRequiredService<CacheStatsAggregator>();
            return sp.GetRequiredService<CacheGauges>();
        });
        services.AddHostedService<RedisStartupCheck>();
        return services;
    }
}
