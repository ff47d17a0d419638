using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Application.Caching;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Caching.FailSafe;

/// <summary>
/// PostgreSQL down or slow (cut through a TCP proxy, so the shared server keeps running): a product cached before answers
/// STALE with its Age, one never cached answers 503 + Retry-After fast, a write answers 503 and changes nothing, and
/// everything recovers when PostgreSQL is back, without a restart.
/// </summary>
public sealed class FailSafeTests(ShopApp app) : IClassFixture<ShopApp>
{
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(1);

    /// <summary>Short soft TTL so a test can step past it; L1 off so every read reaches Redis; no refresh-ahead noise.</summary>
    private static Dictionary<string, string?> ShortTtl(string postgres) => new()
    {
        ["ConnectionStrings:Postgres"] = postgres,
        ["Cache:Ttl:product"] = "00:00:01",
        ["Cache:Jitter"] = "0",
        ["Cache:L1Enabled"] = "false",
        ["Cache:RefreshAheadRatio"] = "0",
    };

    private RedisProxy PostgresProxy()
    {
        var target = new NpgsqlConnectionStringBuilder(app.Postgres);
        var proxy = new RedisProxy($"{target.Host}:{target.Port}");
        proxy.Start();
        return proxy;
    }

    private string Through(RedisProxy proxy) =>
        new NpgsqlConnectionStringBuilder(app.Postgres) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;

    private static string PhysicalKey(ShopApiFactory instance, CacheKey key) => instance.Services.GetRequiredService<RedisKeyspace>().Key(key);

    [Fact]
    public async Task PostgreSQL_down_answers_stale_for_cached_products_503_for_the_rest_and_recovers_without_restart()
    {
        await using var proxy = PostgresProxy();
        var instance = app.StartInstance(ShortTtl(Through(proxy)));
        var client = app.Anonymous(instance);

        var first = await client.GetOk("/api/products/701");
        Assert.Equal("MISS", first.CacheHeader());
        var fresh = await first.ShouldBe(HttpStatusCode.OK);
        // The Redis entry outlives its 1 s TTL by the fail-safe staleness (1 h by default). The fill is written off the
        // response's path, so it may land just after the MISS answered.
        var physical = PhysicalKey(instance, CacheKeys.Product(701));
        await Shop.IntegrationTests.PageViews.Eventually.TrueAsync(async () => await app.Redis.KeyExistsAsync(physical), "the fill reached Redis");
        Assert.True((await app.Redis.KeyTimeToLiveAsync(physical))!.Value > TimeSpan.FromMinutes(50));

        await Task.Delay(1300, TestContext.Current.CancellationToken); // past the soft TTL: the entry is now stale
        proxy.Stop();

        var watch = Stopwatch.StartNew();
        var stale = await client.GetOk("/api/products/701");
        TestContext.Current.TestOutputHelper?.WriteLine($"STALE answer with PostgreSQL refusing: {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(watch.Elapsed < Fast, $"the stale answer took {watch.Elapsed}");
        Assert.Equal("STALE", stale.CacheHeader());
        Assert.True(int.Parse(stale.Headers.GetValues("Age").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(fresh.Text("name"), (await stale.ShouldBe(HttpStatusCode.OK)).Text("name"));

        watch.Restart();
        var unavailable = await client.Get("/api/products/702");
        TestContext.Current.TestOutputHelper?.WriteLine($"503 with PostgreSQL refusing: {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(watch.Elapsed < Fast, $"the 503 took {watch.Elapsed}");
        await unavailable.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        Assert.True(int.Parse(unavailable.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);

        // A write while PostgreSQL is down: 503, nothing written, the cache untouched (its behaviours run after the commit).
        var before = (byte[])(await app.Redis.StringGetAsync(physical))!;
        var priceBefore = await app.ScalarAsync<decimal>("SELECT price FROM products WHERE id = 701");
        var write = await app.AsAdmin(instance).Put("/api/products/701/price", new { price = priceBefore + 1 });
        await write.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        Assert.True(write.Headers.Contains("Retry-After"));
        Assert.Equal(priceBefore, await app.ScalarAsync<decimal>("SELECT price FROM products WHERE id = 701"));
        Assert.Equal(before, (byte[])(await app.Redis.StringGetAsync(physical))!);

        proxy.Start();
        var recovered = false;
        for (var attempt = 0; attempt < 50 && !recovered; attempt++)
        {
            var response = await client.Get("/api/products/702");
            recovered = response.StatusCode == HttpStatusCode.OK && response.CacheHeader() == "MISS";
            if (!recovered) await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.True(recovered, "reads did not recover within 5 s of PostgreSQL coming back");
        Assert.Equal("MISS", (await client.GetOk("/api/products/701")).CacheHeader()); // stale entry reloaded
    }

    [Fact]
    public async Task Redis_and_PostgreSQL_both_down_a_recently_read_product_still_answers_stale()
    {
        Assert.SkipWhen(app.Services.IsCluster, "standalone only: a proxy cannot cut every cluster node");
        await using var postgres = PostgresProxy();
        await using var redis = new RedisProxy(app.Services.Redis);
        redis.Start();
        var settings = ShortTtl(Through(postgres));
        settings["ConnectionStrings:Redis"] = redis.Configuration;
        var instance = app.StartInstance(settings);
        var client = app.Anonymous(instance);

        Assert.Equal("MISS", (await client.GetOk("/api/products/703")).CacheHeader());
        redis.Stop();
        postgres.Stop();

        // The first calls after the cut pay Redis's timeout until the circuit breaker opens (Redis timeouts are the
        // Redis-outage work's bound); once it is open, an answer must not wait on either store.
        for (var i = 0; i < 4; i++) Assert.Equal("STALE", (await client.GetOk("/api/products/703")).CacheHeader());
        var watch = Stopwatch.StartNew();
        var response = await client.GetOk("/api/products/703");
        Assert.Equal("STALE", response.CacheHeader());
        Assert.True(watch.Elapsed < Fast, $"took {watch.Elapsed}");
        await client.Get("/api/products/704").ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task A_load_slower_than_the_soft_timeout_answers_stale_then_refreshes_the_cache_in_the_background()
    {
        var gate = new DatabaseGate("products");
        var instance = app.StartInstance(ShortTtl(app.Postgres), gate);
        var client = app.Anonymous(instance);
        Assert.Equal("MISS", (await client.GetOk("/api/products/705")).CacheHeader());
        await Task.Delay(1300, TestContext.Current.CancellationToken);

        gate.ArmNextRead(); // the next product SELECT stops until released: PostgreSQL is "slow"
        var watch = Stopwatch.StartNew();
        var response = await client.GetOk("/api/products/705");
        Assert.Equal("STALE", response.CacheHeader());
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(400), Fast); // Cache:FactorySoftTimeout = 500 ms

        gate.Release(); // the background load completes and stores a fresh entry
        var fresh = false;
        for (var attempt = 0; attempt < 50 && !fresh; attempt++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            fresh = (await client.GetOk("/api/products/705")).CacheHeader() == "L2";
        }
        Assert.True(fresh, "the background load did not refresh the entry");
    }
}
