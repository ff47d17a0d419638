namespace Shop.Infrastructure.Observability;

/// <summary>The body of <c>GET /api/cache/stats</c>: this instance's view and Redis's view, side by side.</summary>
public sealed record CacheStatsReport(DateTimeOffset GeneratedAt, InstanceStats Instance, AppCacheSnapshot App, RedisStats Redis);
