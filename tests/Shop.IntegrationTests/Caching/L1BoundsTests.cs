using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Caching;

/// <summary>
/// A flood of category listings for random pages through HTTP: L1 holds at most Cache:L1SizeLimit entries (each
/// charged at least L1MaxBytes / L1SizeLimit of the byte budget), and the process heap is reported.
/// </summary>
public sealed class L1BoundsTests(ShopApp app, ITestOutputHelper output) : IClassFixture<ShopApp>
{
    private static readonly int[] PageSizes = [10, 20, 50, 100]; // what the listing validator allows

    [Fact]
    public async Task Random_listing_pages_keep_L1_entries_under_their_bound()
    {
        const int limit = 300;
        var instance = app.StartInstance(new Dictionary<string, string?> { ["Cache:L1SizeLimit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var l1 = instance.Services.GetRequiredService<L1Cache>();
        var client = app.Anonymous(instance);
        var random = new Random(7);
        var ct = TestContext.Current.CancellationToken;

        await client.GetOk("/api/categories/1/products?page=1&pageSize=10"); // warm-up
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var requests = 0;
        // At least twice the limit in distinct pages however slow the machine; more while time allows.
        for (; requests < 3000 && (requests < 2 * limit || watch.Elapsed < TimeSpan.FromSeconds(20)); requests++)
        {
            var category = random.Next(1, 51);
            await client.GetOk($"/api/categories/{category}/products?page={random.Next(1, 1001)}&pageSize={PageSizes[random.Next(PageSizes.Length)]}");
        }
        for (var i = 0; i < 300 && l1.Count > limit; i++) await Task.Delay(10, ct); // compaction runs on the pool
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();

        var report = $"L1 flood: {requests} random listing pages in {watch.Elapsed.TotalSeconds:F1} s; L1 entries {l1.Count} (limit {limit}); " +
            $"GC heap {(heapAfter - heapBefore) / 1024.0 / 1024.0:+0.0;-0.0} MB, working set {process.WorkingSet64 / 1024 / 1024} MB";
        output.WriteLine(report);
        TestResults.Write("l1-bounds.txt", report);

        Assert.InRange(l1.Count, 1, limit);
        // The heap figure is reported, not asserted: this process also hosts the other test classes' instances, which
        // start and stop while the flood runs (CI saw +36 MB and +300 MB on the same code). That nothing leaks beside L1
        // is asserted where the heap is L1's alone: L1CacheTests floods one L1 twice and compares the heap between floods.
    }
}
