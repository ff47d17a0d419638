using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.Caching;
using Shop.Infrastructure.Observability;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Observability;

/// <summary>
/// A known sequence of reads, and the exact counts it must leave on /metrics (Prometheus text) and on
/// /api/cache/stats. Each test drives a fresh API instance: its meter starts at zero, and only its own meters
/// are exported, so the other test classes running in parallel in this process cannot change the counts.
/// </summary>
public sealed class CacheMetricsTests(ShopApp app) : IClassFixture<ShopApp>
{
    private const string ProductRoute = "/api/products/{id:int}";

    /// <summary>
    /// 1 miss, 9 L1 hits, 1 L2 hit (after L1 is cleared), then a negative miss and a negative L1 hit. Each test
    /// passes its own ids: the tests of this class share one key prefix, so an id read by another test is in Redis.
    /// </summary>
    private async Task<ShopApiFactory> DriveKnownSequenceAsync(int id, int absentId)
    {
        var instance = app.StartInstance();
        var client = app.Anonymous(instance);
        Assert.Equal("MISS", (await client.GetOk($"/api/products/{id}")).CacheHeader());
        for (var i = 0; i < 9; i++) Assert.Equal("L1", (await client.GetOk($"/api/products/{id}")).CacheHeader());

        // The fill of Redis is off the response path: wait for it, then read past an empty L1.
        var key = $"{app.KeyPrefix}:v1:{{product:{id}}}";
        for (var i = 0; i < 200 && !await app.Redis.KeyExistsAsync(key); i++) await Task.Delay(10, TestContext.Current.CancellationToken);
        instance.Services.GetRequiredService<L1Cache>().Clear();
        Assert.Equal("L2", (await client.GetOk($"/api/products/{id}")).CacheHeader());

        using (var absent = await client.Get($"/api/products/{absentId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
            Assert.Equal("MISS", absent.CacheHeader());
        }
        using (var again = await client.Get($"/api/products/{absentId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
            Assert.Equal("L1", again.CacheHeader());
        }
        return instance;
    }

    [Fact]
    public async Task Metrics_endpoint_counts_each_lookup_by_level_result_and_entry_type_exactly()
    {
        var instance = await DriveKnownSequenceAsync(41, 1999991);

        var metrics = await ScrapeAsync(instance);

        var lookups = PrometheusText.Name(ShopMetricNames.Lookups, "_total");
        Assert.Equal(2, metrics.Sum(lookups, ("entry_type", "product"), ("level", "db"), ("result", "miss")));
        Assert.Equal(9, metrics.Sum(lookups, ("entry_type", "product"), ("level", "l1"), ("result", "hit")));
        Assert.Equal(1, metrics.Sum(lookups, ("entry_type", "product"), ("level", "l2"), ("result", "hit")));
        Assert.Equal(1, metrics.Sum(lookups, ("entry_type", "product"), ("level", "l1"), ("result", "negative_hit")));
        Assert.Equal(13, metrics.Sum(lookups));

        // Both misses were loaded from PostgreSQL under the stampede lock, and timed.
        Assert.Equal(2, metrics.Sum(PrometheusText.Name(ShopMetricNames.LoadDuration, "_milliseconds_count"), ("entry_type", "product")));
        Assert.True(metrics.Sum(PrometheusText.Name(ShopMetricNames.LoadDuration, "_milliseconds_sum")) > 0);

        // ASP.NET Core's request metrics: exactly this instance's 13 product requests (11 × 200, 2 × 404). The
        // duration is recorded as a request ends, just after its response reached the client: scrape until it is in.
        const string requests = "http_server_request_duration_seconds_count";
        for (var i = 0; i < 50 && metrics.Sum(requests, ("http_route", ProductRoute)) < 13; i++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
            metrics = await ScrapeAsync(instance);
        }
        Assert.Equal(11, metrics.Sum(requests, ("http_route", ProductRoute), ("http_response_status_code", "200")));
        Assert.Equal(2, metrics.Sum(requests, ("http_route", ProductRoute), ("http_response_status_code", "404")));

        // Gauges read at scrape time: breaker closed, two entries in L1 (the product and the absent marker).
        Assert.Equal(0, metrics.Sum(PrometheusText.Name(ShopMetricNames.BreakerState)));
        Assert.Equal(2, metrics.Sum(PrometheusText.Name(ShopMetricNames.L1Entries)));
        Assert.Equal(0, metrics.Sum(PrometheusText.Name(ShopMetricNames.L1Degraded)));
        Assert.Equal(0, metrics.Sum(PrometheusText.Name(ShopMetricNames.FailOpen, "_total")));

        // The runtime's metrics are exported too.
        Assert.True(metrics.Has("dotnet_gc_collections_total") || metrics.Has("dotnet_gc_heap_total_allocated_bytes_total"),
            "no dotnet_gc_* runtime metric on /metrics");
        Assert.True(metrics.Has("dotnet_process_cpu_time_seconds_total"), "no process CPU metric on /metrics");
    }

    [Fact]
    public async Task Stats_endpoint_reports_the_same_counts_since_start_and_over_the_last_minute()
    {
        var instance = await DriveKnownSequenceAsync(42, 1999992);

        var stats = await app.AsAdmin(instance).Get("/api/cache/stats").ShouldBe(HttpStatusCode.OK);

        var appStats = stats.GetProperty("app");
        foreach (var window in new[] { appStats.GetProperty("sinceStart"), appStats.GetProperty("lastMinute"), appStats.GetProperty("byEntryTypeSinceStart").GetProperty("product") })
        {
            Assert.Equal(13, window.Number("lookups"));
            Assert.Equal(10, window.Number("l1Hits")); // 9 hits + 1 negative hit
            Assert.Equal(1, window.Number("l2Hits"));
            Assert.Equal(1, window.Number("negativeHits"));
            Assert.Equal(2, window.Number("misses"));
            Assert.Equal(Math.Round(11 / 13.0, 4), window.GetProperty("hitRate").GetDouble());
            Assert.Equal(Math.Round(10 / 13.0, 4), window.GetProperty("l1HitRate").GetDouble());
            Assert.Equal(Math.Round(1 / 3.0, 4), window.GetProperty("l2HitRate").GetDouble());
        }

        // The per-second series (oldest first, ending with the current second) adds up to the last minute.
        var seconds = appStats.GetProperty("seconds").EnumerateArray().ToList();
        Assert.Equal(60, seconds.Count);
        Assert.Equal(13, seconds.Sum(s => s.GetProperty("lookups").Number("lookups")));
        Assert.True(seconds.Zip(seconds.Skip(1)).All(p => p.Second.GetProperty("t").GetInt64() == p.First.GetProperty("t").GetInt64() + 1));

        var events = appStats.GetProperty("events");
        Assert.Equal(2, events.Number("loads"));
        Assert.Equal(0, events.Number("failOpen"));

        var instanceStats = stats.GetProperty("instance");
        Assert.Equal("closed", instanceStats.Text("breaker"));
        Assert.Equal(2, instanceStats.Number("l1Entries"));

        // Redis's view: global to the shared server (every test class uses it), so checked for presence and consistency.
        var redis = stats.GetProperty("redis");
        Assert.True(redis.Text("mode") is "standalone" or "cluster", redis.Text("mode"));
        var nodes = redis.GetProperty("nodes").EnumerateArray().ToList();
        Assert.NotEmpty(nodes);
        // This test's own reads reached Redis (on a cluster, the node owning their slot).
        Assert.True(nodes.Sum(n => n.GetProperty("keyspaceHits").GetInt64() + n.GetProperty("keyspaceMisses").GetInt64()) > 0);
        foreach (var node in nodes)
        {
            Assert.True(node.GetProperty("connected").GetBoolean(), node.ToString());
            Assert.Equal(JsonValueKind.Null, node.GetProperty("error").ValueKind);
            Assert.False(string.IsNullOrEmpty(node.Text("version")));
            var hits = node.GetProperty("keyspaceHits").GetInt64();
            var misses = node.GetProperty("keyspaceMisses").GetInt64();
            if (hits + misses > 0) Assert.Equal(Math.Round((double)hits / (hits + misses), 4), node.GetProperty("keyspaceHitRate").GetDouble(), 3);
            Assert.True(node.GetProperty("usedMemory").GetInt64() > 0);
            Assert.True(node.GetProperty("maxMemory").GetInt64() >= 0);
            Assert.False(string.IsNullOrEmpty(node.Text("maxMemoryPolicy")));
            Assert.True(node.GetProperty("memFragmentationRatio").GetDouble() > 0);
            Assert.True(node.GetProperty("evictedKeys").GetInt64() >= 0);
            Assert.True(node.GetProperty("expiredKeys").GetInt64() >= 0);
            Assert.True(node.GetProperty("connectedClients").GetInt64() >= 1);
            Assert.Equal(JsonValueKind.Array, node.GetProperty("slowlog").ValueKind);
        }
    }

    [Fact]
    public async Task Stats_endpoint_times_the_api_requests_only()
    {
        var instance = await DriveKnownSequenceAsync(43, 1999993);
        var admin = app.AsAdmin(instance);

        // The request-duration measurement is taken as the request ends, just after the client has its response:
        // poll (bounded) until the 13th product request is recorded, then it must stay 13 (polling is not counted).
        JsonElement latency = default;
        for (var i = 0; i < 50; i++)
        {
            var stats = await admin.Get("/api/cache/stats").ShouldBe(HttpStatusCode.OK);
            latency = stats.GetProperty("app").GetProperty("requestsLastMinute");
            if (latency.Number("requests") >= 13) break;
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        Assert.Equal(13, latency.Number("requests"));
        var p50 = latency.GetProperty("p50Ms").GetDouble();
        var p99 = latency.GetProperty("p99Ms").GetDouble();
        Assert.InRange(p50, 0.0001, p99);
    }

    [Fact]
    public async Task Whatever_ShopMetrics_registers_later_is_exported_too()
    {
        // Other features (write-behind page views) register their gauges and counters through ShopMetrics: the
        // exporter subscribes to the whole Shop meter, so an instrument created after startup shows up as well.
        var instance = app.StartInstance();
        var metrics = instance.Services.GetRequiredService<Shop.Infrastructure.Observability.ShopMetrics>();
        metrics.Gauge("shop.test.backlog", () => 42L, "{item}", "A gauge registered by a test after startup");

        var scraped = await ScrapeAsync(instance);

        Assert.Equal(42, scraped.Sum("shop_test_backlog"));
    }

    [Fact]
    public async Task Slowlog_entries_show_up_in_the_stats_with_their_command()
    {
        // A private server with the slowlog threshold at 0 µs: every command is "slow", so entries are certain.
        await using var redis = await PrivateRedisServer.StartOrSkipAsync("--slowlog-log-slower-than", "0");
        var instance = app.StartInstance(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.Configuration });
        await app.Anonymous(instance).GetOk("/api/products/50");

        var stats = await app.AsAdmin(instance).Get("/api/cache/stats").ShouldBe(HttpStatusCode.OK);

        var node = Assert.Single(stats.GetProperty("redis").GetProperty("nodes").EnumerateArray());
        var slowlog = node.GetProperty("slowlog").EnumerateArray().ToList();
        Assert.InRange(slowlog.Count, 1, 10);
        Assert.All(slowlog, e => Assert.False(string.IsNullOrEmpty(e.Text("command"))));
        Assert.True(slowlog.All(e => e.Text("command").Length <= 500), "arguments are shortened");
    }

    [Fact]
    public async Task Stats_are_for_admins_only()
    {
        using (var anonymous = await app.Anonymous().Get("/api/cache/stats")) Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await app.AsUser(12).Get("/api/cache/stats").ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Metrics_endpoint_is_anonymous_prometheus_text()
    {
        using var response = await app.Anonymous().Get("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains($"# TYPE {PrometheusText.Name(ShopMetricNames.BreakerState)} gauge", text, StringComparison.Ordinal);
        Assert.NotEmpty(PrometheusText.Parse(text));
    }

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(ShopApiFactory instance)
    {
        using var client = instance.CreateClient();
        var text = await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        return PrometheusText.Parse(text);
    }
}
