using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.DependencyInjection;
using Shop.Application.Abstractions;
using Shop.Application.Products;
using Shop.Benchmarks;

// Usage:
//   dotnet tests/Shop.Benchmarks/bin/Release/net10.0/Shop.Benchmarks.dll [--quick] [BenchmarkDotNet args, e.g. --filter '*L1Hit*']
//   ... --smoke   each benchmark body a few times with its result checked (seconds; what CI runs)
// In-process toolchain: no per-run project generation and build (minutes on a busy 2-core machine); the job is a
// short, fixed one so the whole suite ends in minutes. scripts/bench.sh runs it with --artifacts.
if (args.Contains("--smoke")) return await Smoke.RunAsync();

var quick = args.Contains("--quick");
var job = Job.Default
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithWarmupCount(quick ? 2 : 4)
    .WithIterationCount(quick ? 4 : 12)
    .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(quick ? 150 : 400))
    .WithId(quick ? "quick" : "full");
var config = DefaultConfig.Instance
    .AddJob(job)
    .WithOptions(ConfigOptions.DisableLogFile)
    .WithSummaryStyle(BenchmarkDotNet.Reports.SummaryStyle.Default.WithMaxParameterColumnWidth(20));
BenchmarkSwitcher.FromAssembly(typeof(Payloads).Assembly).Run([.. args.Where(a => a != "--quick")], config);
return 0;

namespace Shop.Benchmarks
{
    /// <summary>Runs every benchmark body a few times and checks what it returns, so the suite cannot rot unseen.</summary>
    internal static class Smoke
    {
        public static async Task<int> RunAsync()
        {
            var started = Stopwatch.GetTimestamp();
            var failures = 0;
            void Check(string name, bool ok)
            {
                Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {name}");
                if (!ok) failures++;
            }

            foreach (var serializer in new[] { "Json", "MessagePack", "MessagePackLz4" })
            {
                foreach (var payload in new[] { "ProductPage", "Listing20", "UserOverview" })
                {
                    var b = new SerializerBenchmarks { Serializer = serializer, Payload = payload };
                    b.Setup();
                    Check($"serialize + deserialize {payload} with {serializer}", b.Serialize() > 0 && b.Deserialize() is not null);
                }
            }

            var l1 = new L1HitBenchmarks();
            l1.Setup();
            try
            {
                Check("floor hit", l1.MemoryCacheTryGetValue() is ProductPageDto);
                Check("Shop L1Cache.TryGet hit", l1.ShopL1TryGet() is ProductPageDto);
                Check("Shop GetOrLoadAsync hits", l1.ShopGetOrLoadPrebuiltKey() is { Id: CacheRig.ProductId } && l1.ShopGetOrLoadKeyPerCall() is not null);
                Check("Shop CacheAsideBehaviour hits L1", l1.ShopCacheAsideBehaviour() is not null && l1.Rig.Trace.Outcome == CacheOutcome.L1);
                var metrics = l1.Rig.ShopServices.GetRequiredService<Shop.Infrastructure.Observability.ShopMetrics>();
                var lookupKey = Shop.Application.Caching.CacheKeys.Product(CacheRig.ProductId); // built outside the measured call
                Console.WriteLine($"  bytes per call: L1Cache.TryGet {Allocated(() => l1.ShopL1TryGet())}, GetOrLoadAsync (key ready) {Allocated(() => l1.ShopGetOrLoadPrebuiltKey())}, "
                    + $"(key per call) {Allocated(() => l1.ShopGetOrLoadKeyPerCall())}, CacheAsideBehaviour {Allocated(() => l1.ShopCacheAsideBehaviour())}, "
                    + $"metrics.Lookup {Allocated(() => { metrics.Lookup(lookupKey, false, CacheOutcome.L1); return null; })}");
                Check("FusionCache hit", await l1.FusionGetOrSet() is { Id: CacheRig.ProductId });
                Check("HybridCache hits", await l1.HybridGetOrCreate() is { Id: CacheRig.ProductId } && await l1.HybridGetOrCreateImmutable() is not null);
            }
            finally
            {
                l1.Cleanup();
            }

            var l2 = new RedisHitBenchmarks();
            l2.Setup();
            try
            {
                Check("raw Redis GET + decode", await l2.RawGet() is { Id: CacheRig.ProductId });
                Check("Shop Redis hit", await l2.ShopRedisHit() is { Id: CacheRig.ProductId });
                Check("FusionCache Redis hit", await l2.FusionRedisHit() is { Id: CacheRig.ProductId });
                Check("HybridCache Redis hit", await l2.HybridRedisHit() is { Id: CacheRig.ProductId });
            }
            finally
            {
                l2.Cleanup();
            }

            static double Allocated(Func<object?> call)
            {
                for (var i = 0; i < 1000; i++) call();
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 10_000; i++) call();
                return (GC.GetAllocatedBytesForCurrentThread() - before) / 10_000.0;
            }

            Console.WriteLine($"benchmark smoke: {(failures == 0 ? "ok" : $"{failures} failed")} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
            return failures == 0 ? 0 : 1;
        }

    }
}
