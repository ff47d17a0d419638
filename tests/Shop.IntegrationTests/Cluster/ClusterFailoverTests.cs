using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace Shop.IntegrationTests.Cluster;

/// <summary>Runs alone (no other test class in parallel): a failover disturbs every client of the cluster.</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>
/// On Redis Cluster: a primary fails over to its replica in the middle of the test (CLUSTER FAILOVER, the same
/// path as an operator's maintenance failover), and reads, writes and invalidations go on once StackExchange.Redis
/// follows the new topology. Skipped on a standalone Redis. Waits are generous (60 s): a failover on a loaded 2-core
/// machine takes seconds (cluster-node-timeout 2 s plus the clients' topology refresh).
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class ClusterFailoverTests(ShopServices services)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Skip = "Known open (issue 6): passes alone on the cluster (6.5 s) but times out at 60 s when it runs after the whole suite; not yet understood")]
    public async Task Reads_writes_and_invalidations_go_on_across_a_primary_failover()
    {
        Assert.SkipUnless(services.IsCluster, "needs Redis Cluster (scripts/test.sh runs the suite on one too)");
        await using var app = new ShopApp(services);
        await app.InitializeAsync();
        var b = app.StartInstance();
        var reader = app.Anonymous(b);
        var admin = app.AsAdmin();

        // Product 701's key lives on some primary: that primary is the one we fail over.
        var key = $"{app.KeyPrefix}:v1:{{product:701}}";
        await reader.GetOk("/api/products/701");
        var multiplexer = services.RedisConnection;
        var primary = multiplexer.GetServer((RedisKey)key);
        var replicaEndpoint = primary.ClusterConfiguration![primary.EndPoint]!.Children[0].EndPoint;
        var replica = multiplexer.GetEndPoints().Select(e => multiplexer.GetServer(e)).Single(s => s.EndPoint.ToString() == replicaEndpoint?.ToString());

        await replica.ExecuteAsync("CLUSTER", "FAILOVER");
        await WaitUntilAsync(async () => await IsReplicaAsync(primary));

        try
        {
            // Reads keep answering (from L1/L2 or PostgreSQL) while clients move to the new primary.
            for (var i = 0; i < 20; i++) await reader.Get("/api/products/701").ShouldBe(HttpStatusCode.OK);

            // A write on A invalidates B's L1 and the (moved) Redis entry.
            await admin.Put("/api/products/701/price", new { price = 70.1m }).ShouldBe(HttpStatusCode.OK);
            var page = await WaitForAsync(() => reader.GetOk("/api/products/701"),
                async r => (await r.ShouldBe(HttpStatusCode.OK)).Amount("price") == 70.1m);
            Assert.Equal(70.1m, (await page.ShouldBe(HttpStatusCode.OK)).Amount("price"));

            // Caching through the new primary works: a fill lands in Redis and is read back as L2.
            await WaitUntilAsync(async () => await app.Redis.KeyExistsAsync(key));
            b.Services.GetRequiredService<Shop.Infrastructure.Caching.L1Cache>().Clear();
            await WaitForAsync(() => reader.GetOk("/api/products/701"), r => Task.FromResult(r.CacheHeader() == "L2"));

            // Write-through on the failed-over slot range as well.
            await admin.Put("/api/users/41/plan", new { plan = "pro" }).ShouldBe(HttpStatusCode.OK);
            var profile = await app.AsUser(41, b).GetOk("/api/users/41");
            Assert.Equal("pro", (await profile.ShouldBe(HttpStatusCode.OK)).Text("plan"));
        }
        finally
        {
            // Give the old primary its role back, so the cluster's layout is the same for the next run.
            await primary.ExecuteAsync("CLUSTER", "FAILOVER");
            await WaitUntilAsync(async () => !await IsReplicaAsync(primary));
        }
    }

    private static async Task<bool> IsReplicaAsync(IServer server)
    {
        var role = await server.ExecuteAsync("ROLE");
        return ((RedisResult[])role!)[0].ToString() == "slave";
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
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
        Assert.Fail("condition not met within 60 s");
    }

    private static async Task<HttpResponseMessage> WaitForAsync(Func<Task<HttpResponseMessage>> read, Func<HttpResponseMessage, Task<bool>> done)
    {
        for (var i = 0; i < 1200; i++)
        {
            var response = await read();
            if (await done(response)) return response;
            await Task.Delay(50, Ct);
        }
        Assert.Fail("condition not met within 60 s");
        return null!;
    }
}
