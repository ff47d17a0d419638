using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shop.Api.RateLimiting;
using Shop.Api.Security;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.RateLimiting;

/// <summary>
/// Every route is rate-limited per client: by user id when authenticated, else by address, the address taken from
/// X-Forwarded-For only when the peer is a configured proxy. Past the limit: 429 ProblemDetails with Retry-After,
/// and nothing runs. The per-client partitions stay bounded under a flood of distinct clients.
/// </summary>
public sealed class RateLimitingTests(ShopApp app) : IClassFixture<ShopApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An instance with these limits (a long window unless given) whose client address a test sets per request.</summary>
    private ShopApiFactory Instance(int reads, int writes, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RateLimiting:Reads:PermitLimit"] = reads.ToString(CultureInfo.InvariantCulture),
            ["RateLimiting:Reads:Window"] = "00:10:00",
            ["RateLimiting:Writes:PermitLimit"] = writes.ToString(CultureInfo.InvariantCulture),
            ["RateLimiting:Writes:Window"] = "00:10:00",
            ["RateLimiting:PageViews:PermitLimit"] = "1000",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return new ShopApiFactory(app.Postgres, app.Services.Redis, app.KeyPrefix, settings: settings,
            configureServices: s => s.AddSingleton<IStartupFilter, TestRemoteAddress>());
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, string? address, string? forwardedFor = null, int? userId = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (address is not null) request.Headers.Add(TestRemoteAddress.Header, address);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (userId is { } id)
        {
            var options = new AuthOptions { SigningKey = "development-only-signing-key-not-a-secret-0123456789" };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DevTokenEndpoints.Issue(options, id, Roles.Customer, DateTimeOffset.UtcNow).Token);
        }
        if (method != HttpMethod.Get && method != HttpMethod.Head && method != HttpMethod.Options)
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        return request;
    }

    private static async Task<HttpStatusCode> Status(HttpClient client, HttpMethod method, string url, string? address,
        string? forwardedFor = null, int? userId = null)
    {
        using var request = Request(method, url, address, forwardedFor, userId);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static async Task AssertRefused(HttpResponseMessage response, string what)
    {
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{what}: expected 429, got {(int)response.StatusCode}");
        var problem = await response.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        Assert.Contains("Too many requests", problem.Text("title"), StringComparison.Ordinal);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{what}: 429 says when to retry");
    }

    /// <summary>Every endpoint the app maps, with its route parameters filled in.</summary>
    private static List<(HttpMethod Method, string Url)> Routes(ShopApiFactory instance)
    {
        var routes = new List<(HttpMethod, string)>();
        foreach (var endpoint in instance.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var url = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => "1",
                _ => "",
            }))));
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods) routes.Add((new HttpMethod(method), url));
        }
        return routes;
    }

    [Fact]
    public async Task Every_route_answers_429_problem_with_retry_after_past_its_limit()
    {
        await using var instance = Instance(reads: 3, writes: 2);
        var client = instance.CreateClient();
        var routes = Routes(instance);
        Assert.True(routes.Count >= 15, $"only {routes.Count} routes found");
        var i = 0;
        foreach (var (method, url) in routes)
        {
            var address = $"10.1.{i / 250}.{i % 250 + 1}"; // a client of its own per route, so routes do not share a budget
            i++;
            var limit = method == HttpMethod.Get || method == HttpMethod.Head ? 3 : 2;
            for (var n = 0; n < limit; n++)
                Assert.NotEqual(HttpStatusCode.TooManyRequests, await Status(client, method, url, address));
            using var request = Request(method, url, address);
            using var refused = await client.SendAsync(request, Ct);
            await AssertRefused(refused, $"{method} {url}");
        }
    }

    [Fact]
    public async Task A_refused_write_changes_nothing()
    {
        await using var instance = Instance(reads: 100, writes: 1);
        var admin = app.AsAdmin(instance);
        var version = await app.ScalarAsync<long>("SELECT version FROM products WHERE id = 7");
        await admin.Put("/api/products/7/price", new { price = 7.77m }).ShouldBe(HttpStatusCode.OK);
        using var refused = await admin.Put("/api/products/7/price", new { price = 8.88m });
        await AssertRefused(refused, "second write");
        Assert.Equal(version + 1, await app.ScalarAsync<long>("SELECT version FROM products WHERE id = 7"));
        Assert.Equal(7.77m, await app.ScalarAsync<decimal>("SELECT price FROM products WHERE id = 7"));
    }

    [Fact]
    public async Task Reads_and_writes_have_separate_budgets()
    {
        await using var instance = Instance(reads: 2, writes: 2);
        var client = instance.CreateClient();
        for (var n = 0; n < 2; n++) Assert.NotEqual(HttpStatusCode.TooManyRequests, await Status(client, HttpMethod.Get, "/api/products/1", "10.2.0.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Status(client, HttpMethod.Get, "/api/products/1", "10.2.0.1"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await Status(client, HttpMethod.Put, "/api/products/1/price", "10.2.0.1"));
    }

    [Fact]
    public async Task Anonymous_clients_are_limited_per_address_and_users_per_id_across_addresses()
    {
        await using var instance = Instance(reads: 2, writes: 100);
        var client = instance.CreateClient();
        const string url = "/api/products/1";

        // Two anonymous addresses: a budget each.
        for (var n = 0; n < 2; n++) Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, url, "10.3.0.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Status(client, HttpMethod.Get, url, "10.3.0.1"));
        Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, url, "10.3.0.2"));

        // A user on the exhausted address still has its own budget, and keeps it when it moves address.
        Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, url, "10.3.0.1", userId: 51));
        Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, url, "10.3.0.9", userId: 51));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Status(client, HttpMethod.Get, url, "10.3.0.10", userId: 51));
        Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, url, "10.3.0.10", userId: 52));

        // An IPv6 client is one client across its /64.
        Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, url, "2001:db8:1:2::1"));
        Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, url, "2001:db8:1:2::ffff"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Status(client, HttpMethod.Get, url, "2001:db8:1:2:abcd::7"));
        Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, url, "2001:db8:1:3::1"));
    }

    [Fact]
    public async Task X_forwarded_for_is_ignored_from_an_unknown_peer()
    {
        await using var instance = Instance(reads: 2, writes: 100);
        var client = instance.CreateClient();
        // A client that forges a new X-Forwarded-For each time is still one client: its socket address.
        for (var n = 0; n < 2; n++)
            Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, "/api/products/1", "10.4.0.1", forwardedFor: $"203.0.113.{n + 1}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Status(client, HttpMethod.Get, "/api/products/1", "10.4.0.1", forwardedFor: "203.0.113.99"));
        // Loopback is not trusted by default either (ASP.NET Core's own default trusts it).
        for (var n = 0; n < 2; n++)
            Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, "/api/products/1", "127.0.0.1", forwardedFor: $"203.0.113.{n + 1}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Status(client, HttpMethod.Get, "/api/products/1", "127.0.0.1", forwardedFor: "203.0.113.99"));
    }

    [Fact]
    public async Task X_forwarded_for_from_a_known_proxy_names_the_client()
    {
        await using var instance = Instance(reads: 2, writes: 100, new Dictionary<string, string?>
        {
            ["Api:ForwardedHeaders:KnownProxies:0"] = "10.5.0.1",
            ["Api:ForwardedHeaders:KnownNetworks:0"] = "10.6.0.0/16",
        });
        var client = instance.CreateClient();
        const string url = "/api/products/1";
        // Behind the proxy, each forwarded client has its own budget although all arrive from the proxy's address.
        for (var n = 0; n < 2; n++) Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, url, "10.5.0.1", forwardedFor: "198.51.100.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Status(client, HttpMethod.Get, url, "10.5.0.1", forwardedFor: "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, url, "10.5.0.1", forwardedFor: "198.51.100.2"));
        // The same client through another proxy of a trusted network: the same budget.
        Assert.Equal(HttpStatusCode.TooManyRequests, await Status(client, HttpMethod.Get, url, "10.6.3.4", forwardedFor: "198.51.100.1"));
        // Only the last hop is unwound (ForwardLimit 1): a client cannot pick its key by prepending addresses.
        Assert.Equal(HttpStatusCode.TooManyRequests, await Status(client, HttpMethod.Get, url, "10.5.0.1", forwardedFor: "1.2.3.4, 198.51.100.1"));
    }

    [Fact]
    public async Task A_flood_of_distinct_clients_keeps_at_most_max_clients_partitions_and_the_rest_share_one_bucket()
    {
        await using var instance = Instance(reads: 5, writes: 100, new Dictionary<string, string?> { ["RateLimiting:MaxClients"] = "20" });
        var client = instance.CreateClient();
        var limits = instance.Services.GetRequiredService<ClientRateLimits>();

        for (var n = 0; n < 20; n++) Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, "/api/products/1", $"10.7.0.{n + 1}"));
        Assert.Equal(20, limits.Reads.Count);

        // 480 more distinct addresses: none gets a partition of its own; together they share the overflow bucket of 5.
        var refused = 0;
        for (var n = 20; n < 500; n++)
        {
            if (await Status(client, HttpMethod.Get, "/api/products/1", $"10.7.{n / 250}.{n % 250 + 1}") == HttpStatusCode.TooManyRequests) refused++;
        }
        Assert.Equal(480 - 5, refused);
        Assert.Equal(21, limits.Reads.Count); // 20 clients + the overflow partition
        // A client that already has a partition keeps its own budget.
        Assert.Equal(HttpStatusCode.OK, await Status(client, HttpMethod.Get, "/api/products/1", "10.7.0.1"));
    }

    [Fact]
    public async Task Idle_client_partitions_are_dropped()
    {
        await using var instance = Instance(reads: 5, writes: 100, new Dictionary<string, string?> { ["RateLimiting:Reads:Window"] = "00:00:01" });
        var client = instance.CreateClient();
        var limits = instance.Services.GetRequiredService<ClientRateLimits>();
        for (var n = 0; n < 50; n++) await Status(client, HttpMethod.Get, "/api/products/1", $"10.8.0.{n + 1}");
        Assert.Equal(50, limits.Reads.Count);
        // The partitioned limiter drops a limiter 10 s after its window refilled unused.
        await PageViews.Eventually.TrueAsync(() => Task.FromResult(limits.Reads.Count == 0), "idle partitions are dropped", timeoutMs: 30_000);
    }
}
