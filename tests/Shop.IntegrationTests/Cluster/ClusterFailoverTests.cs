using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.PageViews;
using StackExchange.Redis;

namespace Shop.IntegrationTests.Cluster;

/// <summary>Runs alone (no other test class in parallel): a failover disturbs every client of the cluster.</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>
/// On Redis Cluster: a primary fails over to its replica in the middle of the test (CLUSTER FAILOVER, the same
/// path as an operator's maintenance failover), and reads, writes, invalidations, write-through and page-view
/// counting go on once StackExchange.Redis follows the new topology, with every acknowledged view counted exactly
/// once. Skipped on a standalone Redis.
/// A manual failover is not fire-and-forget: the replica must be in sync, and the primary pauses its clients for at
/// most 5 s while the replica catches up; if that window passes (a loaded 2-core machine, a replica still
/// resyncing after the previous failover) Redis abandons it silently. So the test waits for the replication link,
/// asks, and asks again until the roles have swapped.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class ClusterFailoverTests(ShopServices services, ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_writes_invalidations_and_view_counting_go_on_across_a_primary_failover()
    {
        Assert.SkipUnless(services.IsCluster, "needs Redis Cluster (scripts/test.sh runs the suite on one too)");
        await using var app = new PageViewApp(services);
        await app.InitializeAsync();
        var b = await PageViewApp.ReadyAsync(app.StartInstance());
        await PageViewApp.ReadyAsync(app.Api);
        var reader = app.Anonymous(b);
        var admin = app.AsAdmin();
        var flusher = PageViewApp.Flusher(b);

        // Product 701's key lives on some primary: that primary is the one we fail over. The product whose
        // page-view shard lives there too is the one whose views must survive it.
        var key = $"{app.KeyPrefix}:v1:{{product:701}}";
        await reader.GetOk("/api/products/701");
        var multiplexer = services.RedisConnection;
        var primary = multiplexer.GetServer((RedisKey)key);
        var viewed = Enumerable.Range(702, 100).First(id =>
            multiplexer.GetServer((RedisKey)$"{app.KeyPrefix}:v1:{{pv:{id % 16}}}:pending").EndPoint.Equals(primary.EndPoint));
        var replicaEndpoint = primary.ClusterConfiguration![primary.EndPoint]!.Children[0].EndPoint;
        var replica = multiplexer.GetEndPoints().Select(e => multiplexer.GetServer(e)).Single(s => s.EndPoint.ToString() == replicaEndpoint?.ToString());

        // Views before the failover: 3 flushed to PostgreSQL, 2 acknowledged and still pending in Redis.
        await PostViewsAsync(reader, viewed, 3);
        await flusher.FlushAsync(Ct);
        Assert.Equal(3, await app.FlushedAsync(viewed));
        await PostViewsAsync(reader, viewed, 2);
        Assert.Equal(2, await app.PendingAsync(viewed));

        await FailOverAsync(promote: replica, demote: primary, "replica promoted");

        try
        {
            // Reads keep answering (from L1/L2 or PostgreSQL) while clients move to the new primary.
            for (var i = 0; i < 20; i++) await reader.Get("/api/products/701").ShouldBe(HttpStatusCode.OK);

            // A write on A invalidates B's L1 and the (moved) Redis entry.
            await admin.Put("/api/products/701/price", new { price = 70.1m }).ShouldBe(HttpStatusCode.OK);
            var page = await WaitForAsync("B reads the new price", () => reader.GetOk("/api/products/701"),
                async r => (await r.ShouldBe(HttpStatusCode.OK)).Amount("price") == 70.1m);
            Assert.Equal(70.1m, (await page.ShouldBe(HttpStatusCode.OK)).Amount("price"));

            // Caching through the new primary works: a fill lands in Redis and is read back as L2.
            await WaitUntilAsync("the fill landed in Redis", async () => await app.Redis.KeyExistsAsync(key));
            b.Services.GetRequiredService<L1Cache>().Clear();
            await WaitForAsync("B reads it back from Redis", () => reader.GetOk("/api/products/701"), r => Task.FromResult(r.CacheHeader() == "L2"));

            // Write-through on the failed-over slot range as well.
            await admin.Put("/api/users/41/plan", new { plan = "pro" }).ShouldBe(HttpStatusCode.OK);
            var profile = await app.AsUser(41, b).GetOk("/api/users/41");
            Assert.Equal("pro", (await profile.ShouldBe(HttpStatusCode.OK)).Text("plan"));

            // View counting: the 2 pending views moved with their shard (a manual failover loses no write), 4 more
            // are counted on the new primary, and one flush brings PostgreSQL to exactly 3 + 2 + 4.
            await PostViewsAsync(reader, viewed, 4);
            var report = await flusher.FlushAsync(Ct);
            output.WriteLine(report.ToString());
            Assert.Equal(9, await app.FlushedAsync(viewed));
            Assert.Equal(0, await app.PendingAsync(viewed));
            Assert.Equal(0, await app.InFlightBatchesAsync(viewed));
            var views = await reader.Get($"/api/products/{viewed}/views").ShouldBe(HttpStatusCode.OK);
            Assert.Equal(9, views.GetProperty("views").GetInt64());
        }
        finally
        {
            // Give the old primary its role back, so the cluster's layout is the same for the next test run.
            await FailOverAsync(promote: primary, demote: replica, "old primary restored");
        }
    }

    private static async Task PostViewsAsync(HttpClient client, int productId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await client.PostAsync($"/api/products/{productId}/views", null, Ct);
            await response.ShouldBe(HttpStatusCode.Accepted);
        }
    }

    private readonly List<string> _log = [];

    /// <summary>Asks <paramref name="promote"/> (a replica) to take over until it has, at most every 6 s.</summary>
    private async Task FailOverAsync(IServer promote, IServer demote, string what)
    {
        var started = DateTime.UtcNow;
        var asked = DateTime.MinValue;
        var attempts = 0;
        await WaitUntilAsync(what, async () =>
        {
            if (await RoleAsync(promote) == "master" && await RoleAsync(demote) == "slave") return true;
            if (await RoleAsync(promote) == "slave" && await LinkUpAsync(promote) && DateTime.UtcNow - asked > TimeSpan.FromSeconds(6))
            {
                asked = DateTime.UtcNow;
                attempts++;
                await promote.ExecuteAsync("CLUSTER", "FAILOVER");
            }
            return false;
        });
        var line = $"{what}: {promote.EndPoint} is primary after {attempts} CLUSTER FAILOVER request(s) in {(DateTime.UtcNow - started).TotalSeconds:F1} s";
        output.WriteLine(line);
        _log.Add(line);
        TestResults.Write("cluster-failover.txt", string.Join("; ", _log));
    }

    private static async Task<string> RoleAsync(IServer server) => ((RedisResult[])(await server.ExecuteAsync("ROLE"))!)[0].ToString();

    private static async Task<bool> LinkUpAsync(IServer replica) =>
        (await replica.InfoAsync("replication")).SelectMany(g => g).Any(p => p.Key == "master_link_status" && p.Value == "up");

    private static async Task WaitUntilAsync(string what, Func<Task<bool>> condition)
    {
        for (var i = 0; i < 1200; i++)
        {
            try
            {
                if (await condition()) return;
            }
            catch (RedisException)
            {
                // topology in flux
            }
            await Task.Delay(50, Ct);
        }
        Assert.Fail($"not within 60 s: {what}");
    }

    private static async Task<HttpResponseMessage> WaitForAsync(string what, Func<Task<HttpResponseMessage>> read, Func<HttpResponseMessage, Task<bool>> done)
    {
        for (var i = 0; i < 1200; i++)
        {
            var response = await read();
            if (await done(response)) return response;
            await Task.Delay(50, Ct);
        }
        Assert.Fail($"not within 60 s: {what}");
        return null!;
    }
}
