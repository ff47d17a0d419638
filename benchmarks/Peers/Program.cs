// The peers app of issue #16: the smallest ASP.NET Core app that serves Shop's product page from the same
// PostgreSQL and Redis, one endpoint per approach, so scripts/peers.sh can put a number beside each of Shop's paths.
// Production environment and Information logging, like Shop; no middleware beyond the framework's defaults.
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Npgsql;
using Peers;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

// Shop's lifetimes (src/Shop.Infrastructure/Caching/CacheOptions.cs): 30 s in process, 10 min in Redis for a product.
var l1Ttl = TimeSpan.FromSeconds(30);
var l2Ttl = TimeSpan.FromMinutes(10);

var builder = WebApplication.CreateBuilder(args);
var postgres = builder.Configuration.GetConnectionString("Postgres") ?? throw new InvalidOperationException("ConnectionStrings:Postgres is missing.");
var redisConfiguration = builder.Configuration.GetConnectionString("Redis") ?? throw new InvalidOperationException("ConnectionStrings:Redis is missing.");
var prefix = builder.Configuration["Peers:KeyPrefix"] ?? "peers";

// One multiplexer for every Redis user in the process (raw GET, FusionCache's L2 and backplane, HybridCache's L2).
var redis = await ConnectionMultiplexer.ConnectAsync(redisConfiguration);
Task<IConnectionMultiplexer> SharedRedis() => Task.FromResult<IConnectionMultiplexer>(redis);

builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, PeersJsonContext.Default));
builder.Services.AddSingleton(NpgsqlDataSource.Create(postgres));
builder.Services.AddSingleton<ProductPageReader>();
builder.Services.AddSingleton<IConnectionMultiplexer>(redis);

builder.Services.AddFusionCache()
    .WithOptions(o => o.CacheKeyPrefix = "fusion:")
    .WithDefaultEntryOptions(o =>
    {
        o.Duration = l1Ttl;
        o.DistributedCacheDuration = l2Ttl;
    })
    .WithSerializer(new FusionCacheSystemTextJsonSerializer())
    // InstanceName goes before FusionCache's own "v2:" wire-format prefix, so every key of this app starts with "{prefix}:".
    .WithDistributedCache(new RedisCache(new RedisCacheOptions { ConnectionMultiplexerFactory = SharedRedis, InstanceName = prefix + ":" }))
    .WithBackplane(new RedisBackplane(new RedisBackplaneOptions { ConnectionMultiplexerFactory = SharedRedis }));

// HybridCache takes the IDistributedCache registered here as its second level.
builder.Services.AddStackExchangeRedisCache(o =>
{
    o.ConnectionMultiplexerFactory = SharedRedis;
    o.InstanceName = prefix + ":hybrid:";
});
builder.Services.AddHybridCache(o => o.DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = l2Ttl, LocalCacheExpiration = l1Ttl });

// The raw IMemoryCache endpoint's own cache, bounded like Shop's L1 (Cache:L1SizeLimit, 10,000 entries of size 1).
var memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = 10_000 });
var memoryEntry = new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = l1Ttl };

var app = builder.Build();
var redisDb = redis.GetDatabase();

// The framework alone: compare with Shop's /health/live.
app.MapGet("/bare", () => "Healthy");

// Total bytes this process allocated so far: scripts/peers.sh reads it around a run for bytes per request. Precise:
// the cheap reading sometimes did not move at all during an 8 s run of 100,000+ requests.
app.MapGet("/gc/allocated", () => GC.GetTotalAllocatedBytes(precise: true).ToString(System.Globalization.CultureInfo.InvariantCulture));

// Every read from PostgreSQL: one prepared statement.
app.MapGet("/npgsql/products/{id:int}", async Task<Results<Ok<ProductPage>, NotFound>> (int id, ProductPageReader db, CancellationToken ct) =>
    await db.ReadAsync(id, ct) is { } page ? TypedResults.Ok(page) : TypedResults.NotFound());

// Raw StackExchange.Redis: GET and decode; on a miss read PostgreSQL and SET with Shop's product TTL.
app.MapGet("/redis/products/{id:int}", async Task<Results<Ok<ProductPage>, NotFound>> (int id, ProductPageReader db, CancellationToken ct) =>
{
    var key = $"{prefix}:redis:product:{id}";
    var cached = await redisDb.StringGetAsync(key);
    if (cached.HasValue)
        return TypedResults.Ok(System.Text.Json.JsonSerializer.Deserialize(((ReadOnlyMemory<byte>)cached).Span, PeersJsonContext.Default.ProductPage)!);
    if (await db.ReadAsync(id, ct) is not { } page) return TypedResults.NotFound();
    await redisDb.StringSetAsync(key, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(page, PeersJsonContext.Default.ProductPage), l2Ttl);
    return TypedResults.Ok(page);
});

// Raw IMemoryCache: TryGetValue; on a miss read PostgreSQL and Set for Shop's L1 lifetime.
app.MapGet("/memory/products/{id:int}", async Task<Results<Ok<ProductPage>, NotFound>> (int id, ProductPageReader db, CancellationToken ct) =>
{
    if (memory.TryGetValue(id, out ProductPage? page) && page is not null) return TypedResults.Ok(page);
    if ((page = await db.ReadAsync(id, ct)) is null) return TypedResults.NotFound();
    memory.Set(id, page, memoryEntry);
    return TypedResults.Ok(page);
});

// FusionCache 2.9: GetOrSetAsync over L1 + Redis + the Redis backplane.
app.MapGet("/fusion/products/{id:int}", async Task<Results<Ok<ProductPage>, NotFound>> (int id, IFusionCache cache, ProductPageReader db, CancellationToken ct) =>
    await cache.GetOrSetAsync<ProductPage?>($"product:{id}", (_, token) => db.ReadAsync(id, token), token: ct) is { } page
        ? TypedResults.Ok(page)
        : TypedResults.NotFound());

// HybridCache: GetOrCreateAsync (state overload, no closure) over L1 + Redis.
app.MapGet("/hybrid/products/{id:int}", async Task<Results<Ok<ProductPage>, NotFound>> (int id, HybridCache cache, ProductPageReader db, CancellationToken ct) =>
    await cache.GetOrCreateAsync($"product:{id}", (db, id), static (s, token) => new ValueTask<ProductPage?>(s.db.ReadAsync(s.id, token)), cancellationToken: ct) is { } page
        ? TypedResults.Ok(page)
        : TypedResults.NotFound());

await app.RunAsync();
