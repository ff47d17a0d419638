using BenchmarkDotNet.Attributes;
using Shop.Application.Caching;
using Shop.Application.Products;
using Shop.Application.Products.GetProduct;

namespace Shop.Benchmarks;

/// <summary>
/// A hit in the in-process level, layer by layer: the floor (MemoryCache.TryGetValue on a ready key), Shop's L1
/// alone, Shop's CacheAside.GetOrLoadAsync (with a prebuilt key, then building the key per call as the query does),
/// the whole CacheAsideBehaviour as the mediator runs it, and the peers' get-or-set on the same hit.
/// </summary>
[MemoryDiagnoser]
public class L1HitBenchmarks
{
    private CacheRig _rig = null!;

    internal CacheRig Rig => _rig;

    [GlobalSetup]
    public void Setup()
    {
        _rig = new CacheRig(l1Enabled: true);
        _rig.WarmAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _rig.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "MemoryCache.TryGetValue (floor)")]
    public object? MemoryCacheTryGetValue() => _rig.RawMemory.TryGetValue(_rig.L1Key, out var value) ? value : null;

    [Benchmark(Description = "Shop L1Cache.TryGet (key ready)")]
    public object? ShopL1TryGet() => _rig.ShopL1.TryGet(_rig.L1Key, out var value) ? value : null;

    [Benchmark(Description = "Shop GetOrLoadAsync (CacheKey ready)")]
    public ProductPageDto? ShopGetOrLoadPrebuiltKey() => Sync(_rig.Shop.GetOrLoadAsync(CacheRig.ProductKey, Payloads.Product, CacheRig.Loader, CancellationToken.None)).Value;

    [Benchmark(Description = "Shop GetOrLoadAsync (CacheKeys.Product per call)")]
    public ProductPageDto? ShopGetOrLoadKeyPerCall() => Sync(_rig.Shop.GetOrLoadAsync(CacheKeys.Product(CacheRig.ProductId), Payloads.Product, CacheRig.Loader, CancellationToken.None)).Value;

    [Benchmark(Description = "Shop CacheAsideBehaviour.Handle (as the mediator runs it)")]
    public ProductPageDto ShopCacheAsideBehaviour() => Sync(_rig.Behaviour.Handle(new GetProductQuery(CacheRig.ProductId), CacheRig.Next, CancellationToken.None));

    [Benchmark(Description = "FusionCache GetOrSetAsync")]
    public async ValueTask<ProductPageDto> FusionGetOrSet() =>
        await _rig.Fusion.GetOrSetAsync<ProductPageDto>(CacheRig.FusionKey, static (_, _) => Task.FromResult(Payloads.Product));

    [Benchmark(Description = "HybridCache GetOrCreateAsync (mutable record)")]
    public async ValueTask<ProductPageDto> HybridGetOrCreate() =>
        await _rig.Hybrid.GetOrCreateAsync(CacheRig.HybridKey, Payloads.Product, static (p, _) => ValueTask.FromResult(p));

    [Benchmark(Description = "HybridCache GetOrCreateAsync ([ImmutableObject] type)")]
    public async ValueTask<ImmutableProductPage> HybridGetOrCreateImmutable() =>
        await _rig.Hybrid.GetOrCreateAsync(CacheRig.HybridImmutableKey, Immutable, static (p, _) => ValueTask.FromResult(p));

    private static readonly ImmutableProductPage Immutable = new(Payloads.Product);

    /// <summary>Shop's L1 hit completes synchronously (no state machine box); anything else would be a broken setup. The peers are awaited.</summary>
    internal static T Sync<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : throw new InvalidOperationException("Expected a synchronous L1 hit.");
}
