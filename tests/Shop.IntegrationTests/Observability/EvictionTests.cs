using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.PageViews;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.PageViews;

namespace Shop.IntegrationTests.Observability;

/// <summary>
/// Pending page views survive cache pressure: with <c>maxmemory-policy volatile-lru</c> (the shipped setting) only keys
/// with a TTL are evicted, every cache key has one, and the write-behind counters have none. Runs on a private
/// redis-server with a tiny memory limit.
/// </summary>
public sealed class EvictionTests(ShopApp app, ITestOutputHelper output) : IClassFixture<ShopApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Filling_Redis_past_maxmemory_with_cache_entries_evicts_no_pending_page_view()
    {
        await using var redis = await PrivateRedisServer.StartOrSkipAsync("--maxmemory", "64mb", "--maxmemory-policy", "volatile-lru");
        await using var instance = new ShopApiFactory(app.Postgres, redis.Configuration, app.KeyPrefix, settings: new Dictionary<string, string?>
        {
            ["PageViews:FlushInterval"] = "01:00:00",
            ["PageViews:FlushThreshold"] = "1000000000",
            ["RateLimiting:PageViews:PermitLimit"] = "1000000",
        });
        _ = instance.Server;
        var client = app.Anonymous(instance);
        var flusher = instance.Services.GetRequiredService<PageViewFlusher>();
        var stats = instance.Services.GetRequiredService<PageViewStats>();
        await Eventually.TrueAsync(() => Task.FromResult(stats.Flushes(PageViewFlushTrigger.Startup) >= 1), "the startup flush ran"); // so ours is the only one
        var before = await app.ScalarAsync<long>("SELECT coalesce(sum(views), 0) FROM product_view_totals");

        // Every kind of cache key the app writes, and the page views: acknowledged, so pending in Redis.
        const int Views = 300;
        for (var i = 0; i < Views; i++)
        {
            using var response = await client.PostAsync($"/api/products/{i % 30 + 1}/views", null, Ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        for (var id = 1; id <= 40; id++) await client.GetOk($"/api/products/{id}");
        await client.Get("/api/products/999999").ShouldBe(HttpStatusCode.NotFound);                // a negative entry
        await client.GetOk("/api/products?ids=1,2,3,999998");
        await client.GetOk("/api/categories/1/products?page=1&pageSize=10");                     // a listing and its group
        await client.GetOk("/api/products/5/pricing");
        await app.AsUser(7, instance).GetOk("/api/users/7");
        await app.AsAdmin(instance).Put("/api/users/7/plan", new { plan = "pro" }).ShouldBe(HttpStatusCode.OK); // write-through and its floor
        await Task.Delay(200, Ct); // fills are off the response path

        // The policy's precondition: every key without a TTL is a write-behind key, every other key is volatile.
        var persistent = new List<string>();
        var volatileKeys = 0;
        await foreach (var key in redis.Server.KeysAsync(pattern: app.KeyPrefix + ":*", pageSize: 1000))
        {
            if (await redis.Admin.GetDatabase().KeyTimeToLiveAsync(key) is null) persistent.Add(key.ToString());
            else volatileKeys++;
        }
        output.WriteLine($"{volatileKeys} volatile keys; without TTL: {string.Join(", ", persistent)}");
        Assert.True(volatileKeys >= 40, $"{volatileKeys} cache keys");
        Assert.NotEmpty(persistent);
        // Besides the write-behind keys, only a category's listing version counter may be persistent (evicting it could
        // bring back pages of an older version; it is one small key per category ever written).
        Assert.All(persistent, k => Assert.True(k.Contains(":{pv:", StringComparison.Ordinal) ||
            (k.Contains(":{category:", StringComparison.Ordinal) && k.EndsWith("}:ver", StringComparison.Ordinal)), k));

        // Cache pressure: lower the limit to 2 MB above what is used, then write 16 MB of entries shaped like cache
        // entries (with a TTL): eight times the headroom.
        const long Headroom = 2 * 1024 * 1024;
        var used = await redis.InfoLongAsync("used_memory");
        await redis.Server.ConfigSetAsync("maxmemory", (used + Headroom).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var db = redis.Admin.GetDatabase();
        var filler = new byte[4096];
        for (var i = 0; i < 4096; i += 256)
        {
            var batch = db.CreateBatch();
            var writes = Enumerable.Range(i, 256).Select(n => batch.StringSetAsync($"{app.KeyPrefix}:v1:{{fill:{n}}}:product", filler, TimeSpan.FromHours(1))).ToArray();
            batch.Execute();
            await Task.WhenAll(writes);
        }
        var evicted = await redis.InfoLongAsync("evicted_keys");
        output.WriteLine($"evicted {evicted} keys; used {await redis.InfoLongAsync("used_memory")} of {used + Headroom}");
        Assert.True(evicted > 1000, $"only {evicted} keys evicted: the limit was not reached");

        // Shard leases are volatile (they must expire if their flusher dies), so pressure can evict one between its SET and
        // the claim: that flush then skips the shard (fenced, nothing lost) and the next one moves it.
        long flushed = 0;
        for (var attempt = 0; attempt < 10 && flushed < Views; attempt++)
        {
            var report = await flusher.FlushAsync(Ct);
            output.WriteLine(report.ToString());
            flushed += report.Views;
        }
        Assert.Equal(Views, flushed);
        Assert.Equal(before + Views, await app.ScalarAsync<long>("SELECT coalesce(sum(views), 0) FROM product_view_totals"));
    }
}
