using System.Diagnostics;
using System.Net;
using Shop.Infrastructure.PageViews;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.PageViews;

/// <summary>
/// Runs alone, after the parallel test classes: 10,000 requests keep both cores busy for seconds, which would starve the
/// tests that bound a latency (FailOpenTests' first request) and slow this one down.
/// </summary>
[CollectionDefinition(nameof(PageViewLoad), DisableParallelization = true)]
public sealed class PageViewLoad;

/// <summary>Exactly once under concurrency: many clients, two instances, both flushers moving views at the same time.</summary>
[Collection(nameof(PageViewLoad))]
public sealed class PageViewLoadTests(PageViewApp app, ITestOutputHelper output) : IClassFixture<PageViewApp>
{
    private const int Clients = 40;
    private const int ViewsPerClient = 250; // 10,000 in all
    private const int Products = 50;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ten_thousand_views_from_many_clients_through_two_instances_with_both_flushers_running_are_counted_exactly()
    {
        var settings = new Dictionary<string, string?>
        {
            // Both triggers at work: the timer, and a threshold low enough to fire under this load.
            ["PageViews:FlushInterval"] = "00:00:00.500",
            ["PageViews:FlushThreshold"] = "20",
            ["PageViews:LeaseTtl"] = "00:00:05",
        };
        ShopApiFactory[] instances = [app.StartInstance(settings), app.StartInstance(settings)];
        var sent = new long[Products + 1];
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(1, Clients).Select(async client =>
        {
            var home = instances[client % 2];
            var http = app.AsUser(client, home);
            var other = app.AsUser(client, instances[(client + 1) % 2]);
            var random = new Random(client);
            var acknowledged = new long[Products + 1]; // 202s this client received, per product
            var answered = new long[Products + 1];     // the highest total a 202 told this client, per product
            for (var i = 1; i <= ViewsPerClient; i++)
            {
                var product = 1 + random.Next(Products);
                using (var response = await http.PostAsync($"/api/products/{product}/views", null, Ct))
                {
                    var body = await response.ShouldBe(HttpStatusCode.Accepted);
                    answered[product] = Math.Max(answered[product], body.GetProperty("views").GetInt64());
                }
                acknowledged[product]++;
                Interlocked.Increment(ref sent[product]);
                if (i % 20 != 0) continue;

                // Read-your-writes, on this instance and (every 40th view) on the other one, while flushes run.
                var reader = i % 40 == 0 ? other : http;
                var views = (await reader.Get($"/api/products/{product}/views").ShouldBe(HttpStatusCode.OK)).GetProperty("views").GetInt64();
                Assert.True(views >= acknowledged[product], $"client {client}: product {product} read {views} after {acknowledged[product]} acknowledged views");
                Assert.True(views >= answered[product], $"client {client}: product {product} read {views} after a 202 said {answered[product]}");
            }
        }));
        var sending = watch.Elapsed;

        // The final flush: whatever the timers and thresholds have not moved yet.
        await Eventually.TrueAsync(async () =>
        {
            foreach (var instance in instances) await PageViewApp.Flusher(instance).FlushAsync(Ct);
            return (await app.UnflushedKeysAsync()).Count == 0;
        }, "every pending view and in-flight batch is flushed");

        for (var product = 1; product <= Products; product++)
            Assert.Equal(sent[product], await app.FlushedAsync(product));
        Assert.Equal(Clients * ViewsPerClient, await app.FlushedTotalAsync());
        var reads = app.Anonymous(instances[0]);
        for (var product = 1; product <= Products; product += 7)
            Assert.Equal(sent[product], (await reads.Get($"/api/products/{product}/views").ShouldBe(HttpStatusCode.OK)).GetProperty("views").GetInt64());

        var stats = instances.Select(PageViewApp.Stats).ToArray();
        var flushesWithViews = await app.ScalarAsync<long>("SELECT count(DISTINCT applied_at) FROM applied_view_batches");
        var report =
            $"{Clients * ViewsPerClient} views, {Clients} clients, 2 instances: sent in {sending.TotalSeconds:F1} s " +
            $"({Clients * ViewsPerClient / sending.TotalSeconds:F0} views/s in-process, with a read every 20th view); " +
            $"threshold flushes {stats.Sum(s => s.Flushes(PageViewFlushTrigger.Threshold))}, timer flushes {stats.Sum(s => s.Flushes(PageViewFlushTrigger.Timer))}, " +
            $"flushes that moved views {flushesWithViews}, database transactions {stats.Sum(s => s.DatabaseTransactions)}, " +
            $"batches {await app.ScalarAsync<long>("SELECT count(*) FROM applied_view_batches")}, failures {stats.Sum(s => s.FlushFailures)}";
        output.WriteLine(report);
        TestResults.Write("pageviews-load.txt", report);
        Assert.Equal(0, stats.Sum(s => s.FlushFailures));
        Assert.True(stats.All(s => s.FlushedViews > 0), "both flushers moved views");
        Assert.Equal(flushesWithViews, stats.Sum(s => s.DatabaseTransactions)); // one transaction per flush that moved views
    }
}
