using System.Net;
using System.Text.Json;
using Shop.Infrastructure.Observability;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Observability;

/// <summary>
/// Readiness reports each store on its own. Redis unreachable is Degraded with HTTP 200 (reads fail open to
/// PostgreSQL, so the instance can still serve and must stay in the load balancer); the operational endpoints keep
/// answering and say what is wrong.
/// </summary>
public sealed class ReadinessTests(ShopApp app) : IClassFixture<ShopApp>
{
    private const string BogusRedis = "127.0.0.1:1,connectTimeout=200,abortConnect=false";

    [Fact]
    public async Task Redis_unreachable_makes_readiness_Degraded_with_200_redis_Degraded_and_postgres_Healthy()
    {
        var instance = app.StartInstance(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = BogusRedis });

        var body = await app.Anonymous(instance).Get("/health/ready").ShouldBe(HttpStatusCode.OK);

        Assert.Equal("Degraded", body.Text("status"));
        var checks = body.GetProperty("checks");
        Assert.Equal("Degraded", checks.GetProperty("redis").Text("status"));
        Assert.Contains("PostgreSQL", checks.GetProperty("redis").Text("description"), StringComparison.Ordinal);
        Assert.Equal("Healthy", checks.GetProperty("postgres").Text("status"));
    }

    [Fact]
    public async Task Redis_unreachable_the_stats_and_metrics_still_answer_and_show_the_outage()
    {
        var instance = app.StartInstance(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = BogusRedis,
            ["Cache:BreakerMinimumThroughput"] = "3", // a handful of requests, not a production rate
        });
        var client = app.Anonymous(instance);
        for (var i = 0; i < 5; i++) await client.GetOk($"/api/products/{101 + i}"); // five misses, five Redis failures: trips the breaker (L1 would answer a repeat)

        var stats = await app.AsAdmin(instance).Get("/api/cache/stats").ShouldBe(HttpStatusCode.OK);

        var node = Assert.Single(stats.GetProperty("redis").GetProperty("nodes").EnumerateArray());
        Assert.False(node.GetProperty("connected").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, node.GetProperty("error").ValueKind);
        Assert.Equal("open", stats.GetProperty("instance").Text("breaker"));
        Assert.True(stats.GetProperty("app").GetProperty("events").Number("failOpen") >= 3);

        using var scrape = instance.CreateClient();
        var metrics = PrometheusText.Parse(await scrape.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
        Assert.Equal(2, metrics.Sum(PrometheusText.Name(ShopMetricNames.BreakerState))); // 2 = open
        Assert.True(metrics.Sum(PrometheusText.Name(ShopMetricNames.BreakerTransitions, "_total"), ("to", "open")) >= 1);
        Assert.True(metrics.Sum(PrometheusText.Name(ShopMetricNames.FailOpen, "_total")) >= 3);
    }
}
