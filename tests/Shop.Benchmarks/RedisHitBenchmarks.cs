using BenchmarkDotNet.Attributes;
using Shop.Application.Products;
using Shop.Infrastructure.Caching;
using Shop.Infrastructure.Caching.Serialization;
using StackExchange.Redis;

namespace Shop.Benchmarks;

/// <summary>
/// A hit in Redis (the in-process level skipped): one GET over loopback plus decoding, for Shop (Cache:L1Enabled=false),
/// FusionCache (SkipMemoryCacheRead/Write) and HybridCache (DisableLocalCache), with a raw StackExchange.Redis GET +
/// Shop's JSON decode as the floor. All against the same Redis (SHOP_BENCH_REDIS).
/// </summary>
[MemoryDiagnoser]
public class RedisHitBenchmarks
{
    private static readonly JsonCacheSerializer Json = new();
    private CacheRig _rig = null!;
    private IDatabase _db = null!;
    private RedisKey _key;

    [GlobalSetup]
    public void Setup()
    {
        _rig = new CacheRig(l1Enabled: false);
        _rig.WarmAsync().GetAwaiter().GetResult();
        _db = _rig.Redis.GetDatabase();
        _key = _rig.PhysicalKey;
    }

    [GlobalCleanup]
    public void Cleanup() => _rig.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "StackExchange.Redis GET + decode (floor)")]
    public async Task<ProductPageDto?> RawGet()
    {
        var raw = await _db.StringGetAsync(_key);
        return CacheEnvelope.Decode<ProductPageDto>(Json, (ReadOnlyMemory<byte>)raw).Value;
    }

    [Benchmark(Description = "Shop GetOrLoadAsync (L1 off)")]
    public async Task<ProductPageDto?> ShopRedisHit() =>
        (await _rig.Shop.GetOrLoadAsync(CacheRig.ProductKey, Payloads.Product, CacheRig.Loader, CancellationToken.None)).Value;

    [Benchmark(Description = "FusionCache GetOrSetAsync (memory skipped)")]
    public async Task<ProductPageDto> FusionRedisHit() =>
        await _rig.Fusion.GetOrSetAsync<ProductPageDto>(CacheRig.FusionKey, static (_, _) => Task.FromResult(Payloads.Product), options: _rig.FusionL2Only);

    [Benchmark(Description = "HybridCache GetOrCreateAsync (local cache disabled)")]
    public async Task<ProductPageDto> HybridRedisHit() =>
        await _rig.Hybrid.GetOrCreateAsync(CacheRig.HybridKey, Payloads.Product, static (p, _) => ValueTask.FromResult(p), CacheRig.HybridL2Only);
}
