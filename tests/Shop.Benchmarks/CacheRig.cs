using System.ComponentModel;
using Mediator;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Application;
using Shop.Application.Abstractions;
using Shop.Application.Behaviours;
using Shop.Application.Caching;
using Shop.Application.Products;
using Shop.Application.Products.GetProduct;
using Shop.Infrastructure;
using Shop.Infrastructure.Caching;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Shop.Benchmarks;

/// <summary>A product page marked immutable, so HybridCache may hand out its cached instance instead of a copy.</summary>
[ImmutableObject(true)]
public sealed record ImmutableProductPage(ProductPageDto Page);

/// <summary>
/// Shop's cache, FusionCache and HybridCache configured alike: an in-process level with Shop's L1 lifetime (30 s) over
/// the same Redis with Shop's product lifetime (10 min), System.Text.Json to bytes, each under its own key prefix.
/// Redis: SHOP_BENCH_REDIS (a StackExchange.Redis configuration string), default 127.0.0.1:16379.
/// </summary>
public sealed class CacheRig : IAsyncDisposable
{
    public const int ProductId = 42;
    public static readonly TimeSpan L1Ttl = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan L2Ttl = TimeSpan.FromMinutes(10);

    private readonly ServiceProvider _shop;
    private readonly AsyncServiceScope _scope;
    private readonly ServiceProvider _hybridServices;
    private readonly RedisCache _fusionRedis;

    public static string RedisConfiguration =>
        Environment.GetEnvironmentVariable("SHOP_BENCH_REDIS") is { Length: > 0 } r ? r : "127.0.0.1:16379";

    public CacheRig(bool l1Enabled)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Never opened: a hit does not reach PostgreSQL, and the loaders here return a constant.
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none",
            ["ConnectionStrings:Redis"] = RedisConfiguration + ",allowAdmin=true",
            ["Cache:KeyPrefix"] = "shopbench",
            ["Cache:L1Enabled"] = l1Enabled ? "true" : "false",
            ["Cache:RedisTimeout"] = "00:00:02",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton<IConfiguration>(config);
        services.AddApplication(); // TimeProvider, CacheTrace and the query handlers AddInfrastructure defers
        services.AddInfrastructure(config);
        _shop = services.BuildServiceProvider();
        _scope = _shop.CreateAsyncScope();
        Shop = _scope.ServiceProvider.GetRequiredService<ICacheAside>();
        Trace = _scope.ServiceProvider.GetRequiredService<CacheTrace>();
        Behaviour = new CacheAsideBehaviour<GetProductQuery, ProductPageDto>(Shop, Trace);
        ShopL1 = _shop.GetRequiredService<L1Cache>();
        Redis = _shop.GetRequiredService<IConnectionMultiplexer>();
        PhysicalKey = _shop.GetRequiredService<RedisKeyspace>().Key(ProductKey);

        RawMemory = new MemoryCache(new MemoryCacheOptions { SizeLimit = 10_000, CompactionPercentage = 0.10 });
        RawMemory.Set(L1Key, Payloads.Product, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = L1Ttl });

        _fusionRedis = new RedisCache(new RedisCacheOptions { Configuration = RedisConfiguration, InstanceName = "fusionbench:" });
        Fusion = new FusionCache(new FusionCacheOptions
        {
            CacheName = "bench",
            DefaultEntryOptions = new FusionCacheEntryOptions { Duration = L1Ttl, DistributedCacheDuration = L2Ttl },
        }, new MemoryCache(new MemoryCacheOptions()));
        Fusion.SetupDistributedCache(_fusionRedis, new FusionCacheSystemTextJsonSerializer());
        FusionL2Only = new FusionCacheEntryOptions
        {
            Duration = L1Ttl,
            DistributedCacheDuration = L2Ttl,
            SkipMemoryCacheRead = true,
            SkipMemoryCacheWrite = true,
        };

        var hybrid = new ServiceCollection();
        hybrid.AddStackExchangeRedisCache(o => { o.Configuration = RedisConfiguration; o.InstanceName = "hybridbench:"; });
        hybrid.AddHybridCache(o => o.DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = L2Ttl, LocalCacheExpiration = L1Ttl });
        _hybridServices = hybrid.BuildServiceProvider();
        Hybrid = _hybridServices.GetRequiredService<HybridCache>();
    }

    public static CacheKey ProductKey { get; } = CacheKeys.Product(ProductId);

    public static string FusionKey { get; } = "product:" + ProductId;

    public static string HybridKey { get; } = "product:" + ProductId;

    public static string HybridImmutableKey { get; } = "product-immutable:" + ProductId;

    public static HybridCacheEntryOptions HybridL2Only { get; } = new()
    {
        Expiration = L2Ttl,
        LocalCacheExpiration = L1Ttl,
        Flags = HybridCacheEntryFlags.DisableLocalCache,
    };

    public ICacheAside Shop { get; }

    public IServiceProvider ShopServices => _shop;

    public CacheTrace Trace { get; }

    public CacheAsideBehaviour<GetProductQuery, ProductPageDto> Behaviour { get; }

    public L1Cache ShopL1 { get; }

    public IConnectionMultiplexer Redis { get; }

    public string PhysicalKey { get; }

    /// <summary>The key L1 holds the page under: the logical key since 36bdb19 (the physical one before).</summary>
    public string L1Key { get; } = ProductKey.Value;

    public MemoryCache RawMemory { get; }

    public FusionCache Fusion { get; }

    public FusionCacheEntryOptions FusionL2Only { get; }

    public HybridCache Hybrid { get; }

    /// <summary>Shop's loader: state-passing, so the call site allocates no closure (ICacheAside.GetOrLoadAsync&lt;T, TState&gt;).</summary>
    public static readonly Func<ProductPageDto, CancellationToken, ValueTask<ProductPageDto?>> Loader =
        static (page, _) => ValueTask.FromResult<ProductPageDto?>(page);

    public static readonly MessageHandlerDelegate<GetProductQuery, ProductPageDto> Next =
        static (_, _) => ValueTask.FromResult(Payloads.Product);

    /// <summary>Fills every cache (L1 where enabled, and Redis) with the product page, and waits for Shop's off-path Redis fill.</summary>
    public async Task WarmAsync()
    {
        var db = Redis.GetDatabase();
        await db.KeyDeleteAsync(PhysicalKey);
        await Shop.GetOrLoadAsync(ProductKey, Payloads.Product, Loader, CancellationToken.None);
        for (var i = 0; i < 200 && !await db.KeyExistsAsync(PhysicalKey); i++) await Task.Delay(10);
        if (!await db.KeyExistsAsync(PhysicalKey)) throw new InvalidOperationException($"Shop did not store {PhysicalKey} in Redis ({RedisConfiguration}).");

        await Fusion.RemoveAsync(FusionKey);
        await Fusion.GetOrSetAsync<ProductPageDto>(FusionKey, static (_, _) => Task.FromResult(Payloads.Product));
        await Hybrid.RemoveAsync([HybridKey, HybridImmutableKey]);
        await Hybrid.GetOrCreateAsync(HybridKey, Payloads.Product, static (p, _) => ValueTask.FromResult(p));
        await Hybrid.GetOrCreateAsync(HybridImmutableKey, new ImmutableProductPage(Payloads.Product), static (p, _) => ValueTask.FromResult(p));
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _shop.DisposeAsync();
        await _hybridServices.DisposeAsync();
        Fusion.Dispose();
        _fusionRedis.Dispose();
        RawMemory.Dispose();
    }
}
