using System.Diagnostics;
using System.Net;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.PageViews;

/// <summary>The page-view routes: contract, existence check without PostgreSQL, rate limit, and Redis down.</summary>
public sealed class PageViewApiTests(PageViewApp app) : IClassFixture<PageViewApp>
{
    [Fact]
    public async Task Post_answers_202_with_the_running_total_and_get_reads_it_back_before_any_flush()
    {
        var client = app.Anonymous();
        for (var i = 1; i <= 3; i++)
        {
            using var response = await client.PostAsync("/api/products/101/views", null, TestContext.Current.CancellationToken);
            var body = await response.ShouldBe(HttpStatusCode.Accepted);
            Assert.Equal("/api/products/101/views", response.Headers.Location?.OriginalString);
            Assert.Equal(101, body.Number("productId"));
            Assert.Equal(i, body.GetProperty("views").GetInt64());
        }

        var read = await client.Get("/api/products/101/views").ShouldBe(HttpStatusCode.OK);
        Assert.Equal(101, read.Number("productId"));
        Assert.Equal(3, read.GetProperty("views").GetInt64());
        Assert.Equal(3, await app.PendingAsync(101));     // in Redis …
        Assert.Equal(0, await app.FlushedAsync(101));     // … and not yet in PostgreSQL
        Assert.Equal(0, (await client.Get("/api/products/102/views").ShouldBe(HttpStatusCode.OK)).GetProperty("views").GetInt64());
    }

    [Fact]
    public async Task Recording_a_view_of_a_cached_product_sends_nothing_to_PostgreSQL()
    {
        var client = app.Anonymous();
        await client.PostAsync("/api/products/103/views", null, TestContext.Current.CancellationToken); // warms the product page cache
        var before = app.Api.Sql.Count;

        for (var i = 0; i < 50; i++)
            await client.PostAsync("/api/products/103/views", null, TestContext.Current.CancellationToken).ShouldBe(HttpStatusCode.Accepted);
        using var last = await client.PostAsync("/api/products/103/views", null, TestContext.Current.CancellationToken);

        // The product's existence was checked through the cache, and the POST says so.
        Assert.True(last.CacheHeader() is "L1" or "L2", $"X-Cache: {last.CacheHeader()}");
        Assert.Equal(before, app.Api.Sql.Count);
        Assert.Equal(52, await app.PendingAsync(103));
    }

    [Fact]
    public async Task Unknown_product_is_404_and_counts_nothing_and_its_existence_is_cached_too()
    {
        var client = app.Anonymous();
        await client.PostAsync("/api/products/999999/views", null, TestContext.Current.CancellationToken).ShouldBeProblem(HttpStatusCode.NotFound);
        var before = app.Api.Sql.Count;
        await client.PostAsync("/api/products/999999/views", null, TestContext.Current.CancellationToken).ShouldBeProblem(HttpStatusCode.NotFound);
        await client.Get("/api/products/999999/views").ShouldBeProblem(HttpStatusCode.NotFound);

        Assert.Equal(before, app.Api.Sql.Count); // negative caching: the second miss did not reach PostgreSQL
        Assert.Equal(0, await app.PendingAsync(999999));
        await client.PostAsync("/api/products/0/views", null, TestContext.Current.CancellationToken).ShouldBeValidationProblem("productId");
        await client.Get("/api/products/-1/views").ShouldBeValidationProblem("productId");
    }

    [Fact]
    public async Task Over_the_rate_limit_a_client_gets_429_problem_details_and_is_not_counted_while_others_still_are()
    {
        var instance = app.StartInstance(new Dictionary<string, string?>
        {
            ["RateLimiting:PageViews:PermitLimit"] = "3",
            ["RateLimiting:PageViews:Window"] = "00:10:00",
        });
        var alice = app.AsUser(21, instance);
        var bob = app.AsUser(22, instance);

        for (var i = 0; i < 3; i++)
            await alice.PostAsync("/api/products/104/views", null, TestContext.Current.CancellationToken).ShouldBe(HttpStatusCode.Accepted);
        using var refused = await alice.PostAsync("/api/products/104/views", null, TestContext.Current.CancellationToken);
        var problem = await refused.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        Assert.Contains("not counted", problem.Text("detail"), StringComparison.Ordinal);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 says when to retry");

        await bob.PostAsync("/api/products/104/views", null, TestContext.Current.CancellationToken).ShouldBe(HttpStatusCode.Accepted);
        await alice.Get("/api/products/104/views").ShouldBe(HttpStatusCode.OK); // reads are not limited
        Assert.Equal(4, await app.PendingAsync(104));
    }

    [Fact]
    public async Task With_Redis_down_views_answer_503_problem_details_fast_and_nothing_is_half_written()
    {
        Assert.SkipWhen(app.Services.IsCluster, "standalone only: the proxy fronts one node, and a cluster client reaches the others directly");
        await using var proxy = new RedisProxy(app.Services.Redis);
        proxy.Start();
        var instance = app.StartInstanceBehind(proxy);
        var client = app.Anonymous(instance);
        await client.PostAsync("/api/products/105/views", null, TestContext.Current.CancellationToken).ShouldBe(HttpStatusCode.Accepted);
        await client.PostAsync("/api/products/105/views", null, TestContext.Current.CancellationToken).ShouldBe(HttpStatusCode.Accepted);

        proxy.Stop();
        var took = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            var watch = Stopwatch.StartNew();
            var problem = await client.PostAsync("/api/products/105/views", null, TestContext.Current.CancellationToken)
                .ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
            took.Add(watch.Elapsed);
            Assert.Contains("Redis", problem.Text("detail"), StringComparison.Ordinal);
        }
        // The write-behind's connection fails fast while disconnected: every 503 is immediate, nothing was sent.
        Assert.True(took.All(t => t < TimeSpan.FromMilliseconds(500)), $"503s took {string.Join(", ", took.Select(t => t.TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        await client.Get("/api/products/105/views").ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        await client.Get("/api/products/105").ShouldBe(HttpStatusCode.OK); // cached reads still fail open to PostgreSQL

        proxy.Start();
        var back = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () =>
        {
            using var read = await client.Get("/api/products/105/views");
            return read.StatusCode == HttpStatusCode.OK;
        }, "the views of product 105 can be read again", 15_000);
        // A reconnect (every 0.5 s while down), not a breaker's 5 s open duration.
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(3), $"views answered again {back.Elapsed.TotalSeconds:F1} s after Redis was back");
        var views = await client.Get("/api/products/105/views").ShouldBe(HttpStatusCode.OK);
        Assert.Equal(2, views.GetProperty("views").GetInt64()); // the two counted before, none of the refused
        Assert.Equal(0, await app.FlushedAsync(105));
    }
}
