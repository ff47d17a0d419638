using System.Diagnostics;
using System.Net;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Caching.FailSafe;

/// <summary>
/// The bulkhead: with Cache:MaxConcurrentLoads loads already running, another load waits at most the soft timeout for a
/// slot, then the read answers its stale copy, or 503 + Retry-After when it has none; PostgreSQL never sees it.
/// </summary>
public sealed class LoadBulkheadTests(ShopApp app) : IClassFixture<ShopApp>
{
    [Fact]
    public async Task Past_the_concurrent_load_cap_a_read_answers_stale_or_503_without_reaching_PostgreSQL()
    {
        var gate = new DatabaseGate("products");
        var instance = app.StartInstance(new Dictionary<string, string?>
        {
            ["Cache:MaxConcurrentLoads"] = "1",
            ["Cache:Ttl:product"] = "00:00:01",
            ["Cache:Jitter"] = "0",
            ["Cache:L1Enabled"] = "false",
            ["Cache:RefreshAheadRatio"] = "0",
        }, gate);
        var client = app.Anonymous(instance);
        Assert.Equal("MISS", (await client.GetOk("/api/products/741")).CacheHeader());
        await Task.Delay(1300, TestContext.Current.CancellationToken); // 741 is now stale

        gate.ArmNextRead();
        var holder = client.Get("/api/products/742"); // takes the only slot and stops in PostgreSQL
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var sqlBefore = instance.Sql.Count;

        var watch = Stopwatch.StartNew();
        var stale = await client.GetOk("/api/products/741");
        Assert.Equal("STALE", stale.CacheHeader());
        var unavailable = await client.Get("/api/products/743");
        await unavailable.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        Assert.True(unavailable.Headers.Contains("Retry-After"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}"); // two soft timeouts (500 ms each)
        Assert.Equal(sqlBefore, instance.Sql.Count); // neither reached PostgreSQL

        gate.Release();
        await (await holder).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("MISS", (await client.GetOk("/api/products/743")).CacheHeader()); // slot free again
    }
}
