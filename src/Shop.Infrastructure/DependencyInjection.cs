using System.Data.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Application.Abstractions;
using Shop.Application.Caching;
using Shop.Infrastructure.Caching;
using Shop.Infrastructure.Caching.Serialization;
using Shop.Infrastructure.Observability;
using Shop.Infrastructure.PageViews;
using Shop.Infrastructure.Persistence;
using Shop.Infrastructure.Persistence.Seeding;
using StackExchange.Redis;

namespace Shop.Infrastructure;

public static class DependencyInjection
{
    private static void AddCaching(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(CacheOptions.Section);
        services.Configure<CacheOptions>(section);
        var cache = section.Get<CacheOptions>() ?? new CacheOptions();

        services.AddSingleton<CacheInstance>();
        services.AddSingleton<IConnectionMultiplexer>(sp =>
            ConnectionMultiplexer.Connect(RedisConnection.Options(configuration, cache.RedisTimeout, sp.GetRequiredService<CacheInstance>())));
        services.AddSingleton<RedisKeyspace>();
        services.AddSingleton<L1Cache>();
        services.AddSingleton<NegativeCacheBudget>();
        services.AddSingleton<ShopMetrics>();
        services.AddSingleton(sp =>
        {
            var flight = new SingleFlight();
            flight.Joined += sp.GetRequiredService<ShopMetrics>().Coalesced;
            return flight;
        });
        services.AddSingleton<RedisCircuitBreaker>();
        services.AddSingleton<FailOpenRedis>();
        services.AddSingleton<ICacheSerializer>(cache.Serializer.ToLowerInvariant() switch
        {
            "json" => new JsonCacheSerializer(),
            "messagepack" => new MessagePackCacheSerializer(),
            "messagepacklz4" => new MessagePackCacheSerializer(lz4: true),
            _ => throw new InvalidOperationException($"Cache:Serializer must be Json, MessagePack or MessagePackLz4, not '{cache.Serializer}'."),
        });
        services.AddSingleton<CacheEntryCodec>();
        services.AddSingleton<FailSafeCopies>();
        services.AddSingleton<LoadBulkhead>();
        services.AddSingleton<RefreshAhead>();

        // One singleton per pattern; none keeps state from one call to the next (only CacheTrace is per request).
        services.AddSingleton<ICacheAside, CacheAside>();
        services.AddSingleton<IBatchCacheRead, BatchCacheRead>();
        services.AddSingleton<ICachePrefetch, CachePrefetch>();
        services.AddSingleton<IWriteThroughCache, WriteThrough>();
        services.AddSingleton<ICacheInvalidator, ExplicitInvalidation>();
        services.AddSingleton<ICacheVersions, CacheVersions>();

        services.AddSingleton<InvalidationPublisher>();
        services.AddSingleton<InvalidationRetries>();
        services.AddHostedService(sp => sp.GetRequiredService<InvalidationRetries>());
        services.AddSingleton<InvalidationSubscriber>();
        services.AddHostedService(sp => sp.GetRequiredService<InvalidationSubscriber>());
        if (cache.KeyspaceNotifications) services.AddHostedService<KeyspaceInvalidation>();
    }

    /// <summary>
    /// Npgsql waits 15 s to connect and 30 s per command by default: far longer than a request should wait on a dead or
    /// stuck PostgreSQL. Unless the connection string sets them, use <c>Database:ConnectTimeoutSeconds</c> (default 3) and
    /// <c>Database:CommandTimeoutSeconds</c> (default 5), so an outage answers 503 (or a stale copy) within seconds.
    /// Also prepares the hot statements (<c>Database:MaxAutoPrepare</c>, default 20, unless the connection string sets
    /// <c>Max Auto Prepare</c>): planning the product-page statement costs ~1 ms, a prepared execution 0.1-0.3 ms
    /// (benchmarks/peers.md). Set 0 behind a pooler in transaction mode (PgBouncer before
    /// 1.21), where a prepared statement does not follow the client from one server connection to the next.
    /// </summary>
    public static string WithTimeouts(string connectionString, IConfiguration configuration)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Has(params string[] names) => given.Keys.Cast<string>().Any(k => names.Contains(k.Replace(" ", "", StringComparison.Ordinal), StringComparer.OrdinalIgnoreCase));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Has("Timeout", "ConnectTimeout", "ConnectionTimeout")) builder.Timeout = configuration.GetValue("Database:ConnectTimeoutSeconds", 3);
        if (!Has("CommandTimeout")) builder.CommandTimeout = configuration.GetValue("Database:CommandTimeoutSeconds", 5);
        if (!Has("MaxAutoPrepare")) builder.MaxAutoPrepare = configuration.GetValue("Database:MaxAutoPrepare", 20);
        return builder.ConnectionString;
    }

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var postgres = WithTimeouts(configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set."), configuration);

        services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.Section));
        // Pooled: a request that reaches the database costs a reset instead of a new context and new options.
        services.AddDbContextPool<ShopDbContext>(o => o.UseNpgsql(postgres).UseSnakeCaseNamingConvention());
        // The port is the scope's pooled context, leased when a handler is built. A cache hit leases none: a cached query's
        // handler is built only on a miss (DeferredQueryHandler). Other handlers are built before the behaviours, so a
        // command refused with a 400 or 403 rents a context and returns it unused (no connection is opened).
        services.AddScoped<IShopDbContext>(sp => sp.GetRequiredService<ShopDbContext>());
        services.AddScoped<DatabaseSeeder>();

        services.AddCaching(configuration);
        services.DeferCachedQueryHandlers();
        services.AddPageViews(configuration);
        services.AddShopObservability();
        services.AddHealthChecks()
            .AddDbContextCheck<ShopDbContext>("postgres", tags: ["ready"])
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Registers <see cref="DeferredQueryHandler{TQuery, TResponse, THandler}"/> in place of the handler of every cached
    /// query (<see cref="ICacheableQuery"/>, <see cref="ICacheableBatch{TResponse}"/>): Mediator builds a query's handler
    /// before the behaviours run, and a cache hit should not pay for a handler and a DbContext lease it never uses.
    /// Reflection runs here, once at startup. Needs the handlers registered (AddApplication) first, and says so if not.
    /// </summary>
    private static void DeferCachedQueryHandlers(this IServiceCollection services)
    {
        var deferred = 0;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].IsKeyedService) continue; // ImplementationType throws on a keyed descriptor
            if (services[i] is not { ServiceType: { IsGenericType: true } service, ImplementationType: { } handler }
                || service.GetGenericTypeDefinition() != typeof(IQueryHandler<,>))
                continue;
            var (query, response) = (service.GenericTypeArguments[0], service.GenericTypeArguments[1]);
            if (!typeof(ICacheableQuery).IsAssignableFrom(query)
                && !query.GetInterfaces().Any(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ICacheableBatch<>)))
                continue;
            services[i] = ServiceDescriptor.Transient(service, typeof(DeferredQueryHandler<,,>).MakeGenericType(query, response, handler));
            deferred++;
        }
        if (deferred == 0)
            throw new InvalidOperationException("No cached query handler is registered: call AddApplication before AddInfrastructure.");
    }
}
