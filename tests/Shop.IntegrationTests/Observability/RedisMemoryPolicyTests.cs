using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Infrastructure.Observability;
using Shop.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace Shop.IntegrationTests.Observability;

/// <summary>
/// Redis's memory limit and eviction policy, on a private redis-server per test (the shared test Redis keeps its
/// settings: other classes run against it in parallel): evictions under volatile-lru (the shipped policy) are counted and the service
/// keeps answering; noeviction and a missing maxmemory are named in a startup warning, and requests still succeed.
/// </summary>
public sealed class RedisMemoryPolicyTests(ShopApp app) : IClassFixture<ShopApp>
{
    private const string StartupCheck = "Shop.Infrastructure.Observability.RedisStartupCheck";
    private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(15);

    /// <summary>An instance on <paramref name="redis"/> whose log entries are kept (the startup check's at Information too).</summary>
    private ShopApiFactory StartInstance(PrivateRedisServer redis, LogCapture logs)
    {
        var instance = new ShopApiFactory(app.Postgres, redis.Configuration, app.KeyPrefix,
            settings: new Dictionary<string, string?> { [$"Logging:LogLevel:{StartupCheck}"] = "Information" },
            configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        _ = instance.Server;
        return instance;
    }

    [Fact]
    public async Task Under_a_tiny_maxmemory_with_volatile_lru_keys_are_evicted_counted_and_every_request_still_answers()
    {
        // Started with a sane limit (so no startup warning), lowered once the instance runs.
        await using var redis = await PrivateRedisServer.StartOrSkipAsync("--maxmemory", "64mb", "--maxmemory-policy", "volatile-lru");
        var logs = new LogCapture();
        await using var instance = StartInstance(redis, logs);
        var client = app.Anonymous(instance);
        Assert.NotNull(await logs.WaitForAsync(e => e.Category == StartupCheck && e.Message.Contains("volatile-lru", StringComparison.Ordinal), LogWait));

        // A limit just above what the empty server and its clients use: product pages soon overflow it. Read new
        // products until Redis reports evictions (bounded: the demo seed has 2000); every read must succeed.
        var used = await redis.InfoLongAsync("used_memory");
        await redis.Server.ConfigSetAsync("maxmemory", (used + 256 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));

        long evicted = 0;
        var id = 0;
        while (evicted == 0 && id < 1500)
        {
            for (var i = 0; i < 50; i++)
            {
                using var response = await client.Get($"/api/products/{++id}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            // Fills are off the response path: give the last ones a moment before asking.
            for (var wait = 0; wait < 10 && evicted == 0; wait++)
            {
                await Task.Delay(10, TestContext.Current.CancellationToken);
                evicted = await redis.InfoLongAsync("evicted_keys");
            }
        }
        Assert.True(evicted > 0, $"no key was evicted after {id} products: the memory limit was not reached");

        // The stats endpoint reports the same eviction count, and the memory figures it is judged by.
        var stats = await app.AsAdmin(instance).Get("/api/cache/stats").ShouldBe(HttpStatusCode.OK);
        var node = Assert.Single(stats.GetProperty("redis").GetProperty("nodes").EnumerateArray());
        Assert.Equal("volatile-lru", node.Text("maxMemoryPolicy"));
        Assert.InRange(node.GetProperty("evictedKeys").GetInt64(), evicted, long.MaxValue);
        Assert.InRange(node.GetProperty("usedMemory").GetInt64(), 1, node.GetProperty("maxMemory").GetInt64() + (64 * 1024));

        // Evictions are not faults: Redis refused nothing (no server error counted as fail-open; a timeout of a loaded
        // machine is not an eviction's doing), the breaker stayed closed, and the service still caches.
        using (var scrape = instance.CreateClient())
        {
            var metrics = PrometheusText.Parse(await scrape.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
            Assert.Equal(0, metrics.Sum(PrometheusText.Name(ShopMetricNames.FailOpen, "_total"), ("reason", "server_error")));
        }
        Assert.Equal("closed", stats.GetProperty("instance").Text("breaker"));
        Assert.Equal("L1", (await client.GetOk($"/api/products/{id}")).CacheHeader());
        Assert.DoesNotContain(logs.From(StartupCheck), e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task With_noeviction_the_startup_warning_names_it_and_requests_still_succeed_when_Redis_is_full()
    {
        await using var redis = await PrivateRedisServer.StartOrSkipAsync("--maxmemory", "64mb", "--maxmemory-policy", "noeviction");
        // Full: some data, then a limit below what is used. Under noeviction Redis now refuses every write (OOM).
        var db = redis.Admin.GetDatabase();
        for (var i = 0; i < 16; i++) await db.StringSetAsync($"filler:{i}", new string('x', 64 * 1024));
        var used = await redis.InfoLongAsync("used_memory");
        await redis.Server.ConfigSetAsync("maxmemory", (used / 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var refused = await Assert.ThrowsAsync<RedisServerException>(() => db.StringSetAsync("one-more", "x"));
        Assert.StartsWith("OOM", refused.Message, StringComparison.Ordinal);

        var logs = new LogCapture();
        await using var instance = StartInstance(redis, logs);
        var warning = await logs.WaitForAsync(e => e.Category == StartupCheck && e.Level == LogLevel.Warning, LogWait);
        Assert.NotNull(warning);
        Assert.Contains("noeviction", warning.Message, StringComparison.Ordinal);
        Assert.Contains("refuses every write", warning.Message, StringComparison.Ordinal);
        var info = Assert.Single(logs.From(StartupCheck), e => e.Level == LogLevel.Information);
        Assert.Contains("Redis 7", info.Message, StringComparison.Ordinal);
        Assert.Contains("standalone", info.Message, StringComparison.Ordinal);
        Assert.Single(logs.From(StartupCheck), e => e.Level == LogLevel.Warning); // logged once

        // Every read is served (from PostgreSQL); the refused writes are counted as fail-open, the breaker stays closed.
        var client = app.Anonymous(instance);
        for (var id = 1; id <= 5; id++) Assert.Equal("MISS", (await client.GetOk($"/api/products/{id}")).CacheHeader());
        using var scrape = instance.CreateClient();
        // The fills are written off the response's path, so the last refusals can be counted just after the reads answered.
        var metrics = PrometheusText.Parse(await scrape.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
        for (var wait = 0; wait < 50 && metrics.Sum(PrometheusText.Name(ShopMetricNames.FailOpen, "_total"), ("reason", "server_error")) < 5; wait++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            metrics = PrometheusText.Parse(await scrape.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
        }
        Assert.True(metrics.Sum(PrometheusText.Name(ShopMetricNames.FailOpen, "_total"), ("reason", "server_error")) >= 5,
            "the OOM refusals were not counted as fail-open: " + string.Join("; ", metrics.Where(m => m.Name.StartsWith(PrometheusText.Name(ShopMetricNames.FailOpen), StringComparison.Ordinal))));
        Assert.Equal(0, metrics.Sum(PrometheusText.Name(ShopMetricNames.BreakerState)));
    }

    [Fact]
    public async Task Without_maxmemory_the_startup_warning_says_what_that_means_for_a_cache()
    {
        await using var redis = await PrivateRedisServer.StartOrSkipAsync("--maxmemory", "0", "--maxmemory-policy", "volatile-lru");
        var logs = new LogCapture();
        await using var instance = StartInstance(redis, logs);

        var warning = await logs.WaitForAsync(e => e.Category == StartupCheck && e.Level == LogLevel.Warning, LogWait);

        Assert.NotNull(warning);
        Assert.Contains("maxmemory is not set", warning.Message, StringComparison.Ordinal);
        Assert.Contains("volatile-lru", warning.Message, StringComparison.Ordinal);
        await app.Anonymous(instance).GetOk("/api/products/7");
    }
}
