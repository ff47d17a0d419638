using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Caching;

/// <summary>Batch reads: L1, then one Redis round trip for the rest, then one SQL query for what is still missing.</summary>
public sealed class BatchReadTests(ShopApp app) : IClassFixture<ShopApp>
{
    [Fact]
    public async Task Hundred_ids_with_fifty_in_Redis_take_one_Redis_round_trip_and_one_SQL_query()
    {
        var client = app.Anonymous();
        var ids = Enumerable.Range(301, 100).ToArray();
        foreach (var id in ids.Where(i => i % 2 == 0)) await client.GetOk($"/api/products/{id}"); // 50 now in Redis
        await WaitUntilAsync(async () => await app.Redis.KeyExistsAsync($"{app.KeyPrefix}:v1:{{product:{ids[^1]}}}"));
        app.Api.Services.GetRequiredService<L1Cache>().Clear();

        var log = new RedisCommandLog(app.Api);
        var sqlBefore = app.Api.Sql.Count;
        log.Start();
        var response = await client.GetOk($"/api/products?ids={string.Join(',', ids)}");
        var commands = log.Stop();

        Assert.Equal("MISS", response.CacheHeader());
        Assert.Equal(ids, (await response.ShouldBe(HttpStatusCode.OK)).EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        // Standalone: one MGET for all 100 keys. Cluster: MGET refuses keys of different slots, so one MGET per slot,
        // all in one pipelined batch (a round trip per node, in parallel).
        var slots = ids.Select(id => app.Services.RedisConnection.HashSlot($"{app.KeyPrefix}:v1:{{product:{id}}}")).Distinct().Count();
        Assert.Equal(app.Services.IsCluster ? slots : 1, commands.Count(c => c == "MGET"));
        Assert.DoesNotContain("GET", commands);
        Assert.Equal(1, app.Api.Sql.Count - sqlBefore);

        // The 50 loaded from PostgreSQL were back-filled: the same batch is now served from memory.
        var again = await client.GetOk($"/api/products?ids={string.Join(',', ids)}");
        Assert.Equal("L1", again.CacheHeader());
        Assert.Equal(1, app.Api.Sql.Count - sqlBefore);
    }

    [Fact]
    public async Task Absent_ids_are_left_out_in_the_order_asked()
    {
        var response = await app.Anonymous().GetOk("/api/products?ids=410,999998,405");
        Assert.Equal([410, 405], (await response.ShouldBe(HttpStatusCode.OK)).EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task User_overview_reads_profile_and_preferences_from_Redis_in_one_round_trip()
    {
        var client = app.AsUser(11);
        await client.GetOk("/api/users/11/overview");
        await WaitUntilAsync(async () => await app.Redis.KeyExistsAsync($"{app.KeyPrefix}:v1:{{user:11}}:preferences"));
        app.Api.Services.GetRequiredService<L1Cache>().Clear();

        var log = new RedisCommandLog(app.Api);
        var sqlBefore = app.Api.Sql.Count;
        log.Start();
        var response = await client.GetOk("/api/users/11/overview");
        var commands = log.Stop();

        Assert.Equal("L2", response.CacheHeader());
        Assert.Equal(["MGET"], commands);
        Assert.Equal(0, app.Api.Sql.Count - sqlBefore);
        var body = await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(11, body.GetProperty("profile").GetProperty("id").GetInt32());
        Assert.Equal(11, body.GetProperty("preferences").GetProperty("userId").GetInt32());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition()) return;
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.Fail("condition not met within 2 s");
    }
}
