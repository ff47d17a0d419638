using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Caching;

/// <summary>
/// Instance B loses Redis (its connection cut by a proxy) while instance A keeps it, on production cache settings:
/// B keeps serving L1, but only entries younger than Cache:DegradedL1Ttl, so A's write is seen on B within that bound,
/// B's reads stay mostly L1 hits (PostgreSQL sees a few loads, not one per request), and once B is subscribed again
/// it sees A's writes at once.
/// </summary>
public sealed class RedisOutageTests(ShopApp app, ITestOutputHelper output) : IClassFixture<ShopApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task During_Bs_Redis_outage_a_write_on_A_is_seen_on_B_within_the_degraded_L1_TTL_and_B_reads_mostly_from_L1()
    {
        Assert.SkipWhen(app.Services.IsCluster, "standalone only: a proxy in front of one cluster node cannot cut the others");
        await using var proxy = new RedisProxy(app.Services.Redis);
        proxy.Start();
        var b = app.StartInstance(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = proxy.Configuration });
        var busB = b.Services.GetRequiredService<InvalidationSubscriber>();
        var l1B = b.Services.GetRequiredService<L1Cache>();
        var bound = new CacheOptions().DegradedL1Ttl; // the production default, 5 s
        var reader = app.Anonymous(b);
        var admin = app.AsAdmin();
        const string url = "/api/products/701";

        var before = (await (await reader.GetOk(url)).ShouldBe(HttpStatusCode.OK)).Amount("price");
        Assert.Equal("L1", (await reader.GetOk(url)).CacheHeader());

        proxy.Stop();
        await WaitForAsync(() => !busB.Subscribed, "B did not notice its subscription was lost");
        Assert.True(l1B.Degraded);

        b.Sql.Reset();
        var written = before + 1.11m;
        var writeStarted = Stopwatch.GetTimestamp();
        await admin.Put($"{url}/price", new { price = written }).ShouldBe(HttpStatusCode.OK);

        // Read on B every 20 ms for the bound plus 3 s: the old price only within the bound, then the new one.
        var reads = new List<(TimeSpan At, decimal Price, string? Cache)>();
        while (Stopwatch.GetElapsedTime(writeStarted) < bound + TimeSpan.FromSeconds(3))
        {
            var at = Stopwatch.GetElapsedTime(writeStarted);
            var response = await reader.GetOk(url);
            reads.Add((at, (await response.ShouldBe(HttpStatusCode.OK)).Amount("price"), response.CacheHeader()));
            await Task.Delay(20, Ct);
        }
        var stale = reads.Where(r => r.Price != written).ToArray();
        var l1Hits = reads.Count(r => r.Cache == "L1");
        var sql = b.Sql.Count;
        var report = $"Redis outage on B, default settings (DegradedL1Ttl {bound.TotalSeconds} s): {reads.Count} reads on B over {reads[^1].At.TotalSeconds:F1} s; " +
            $"old value served until {(stale.Length == 0 ? 0 : stale[^1].At.TotalMilliseconds):F0} ms after A's write started; " +
            $"{l1Hits} L1 hits ({100.0 * l1Hits / reads.Count:F0} %); {sql} SQL commands on B";
        output.WriteLine(report);
        TestResults.Write("redis-outage-degraded-l1.txt", report);

        Assert.All(stale, r => Assert.True(r.At < bound, $"old price read {r.At} after the write, beyond the {bound} bound"));
        Assert.Equal(written, reads[^1].Price);
        Assert.True(l1Hits >= reads.Count * 8 / 10, $"only {l1Hits} of {reads.Count} reads were L1 hits");
        // One load per degraded TTL window (plus the first after the old entry aged out), each a couple of commands.
        Assert.True(sql <= 12, $"{sql} SQL commands for {reads.Count} reads during the outage");

        // Redis back: B resubscribes, clears L1 (it missed messages), and sees A's next write at once.
        proxy.Start();
        await WaitForAsync(() => busB.Subscribed, "B did not resubscribe within 15 s");
        await WaitForAsync(() => !l1B.Degraded, "B's L1 did not leave degraded mode within 15 s");
        await reader.GetOk(url);
        var again = written + 1.11m;
        await admin.Put($"{url}/price", new { price = again }).ShouldBe(HttpStatusCode.OK);
        var seen = false;
        for (var i = 0; i < 100 && !seen; i++)
        {
            seen = (await (await reader.GetOk(url)).ShouldBe(HttpStatusCode.OK)).Amount("price") == again;
            if (!seen) await Task.Delay(10, Ct);
        }
        Assert.True(seen, "after resubscribing, B did not see A's write within 1 s");
    }

    private static async Task WaitForAsync(Func<bool> condition, string message)
    {
        for (var i = 0; i < 150 && !condition(); i++) await Task.Delay(100, Ct);
        Assert.True(condition(), message);
    }
}
