using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Security;

/// <summary>
/// Authorization happens at the edge, before the body is bound or validated: a caller without the right gets 401/403
/// whatever the body holds (a malformed one included), and nothing is written. A fallback policy closes every
/// endpoint that does not opt out, so a new route is private until someone decides otherwise.
/// </summary>
public sealed class EdgeAuthorizationTests(ShopApp app) : IClassFixture<ShopApp>
{
    private const string Malformed = "{\"price\": ";

    public static TheoryData<string, string> AdminWrites => new()
    {
        { "POST", "/api/products" },
        { "PUT", "/api/products/1/price" },
        { "POST", "/api/users" },
        { "PUT", "/api/users/2/plan" },
    };

    [Theory]
    [MemberData(nameof(AdminWrites))]
    public async Task A_customer_gets_403_on_an_admin_write_whatever_the_body(string method, string url)
    {
        var customer = app.AsUser(2);
        await customer.SendRaw(new HttpMethod(method), url, Malformed).ShouldBeProblem(HttpStatusCode.Forbidden);
        await customer.SendRaw(new HttpMethod(method), url, "{}").ShouldBeProblem(HttpStatusCode.Forbidden);
        await app.Anonymous().SendRaw(new HttpMethod(method), url, Malformed).ShouldBeProblem(HttpStatusCode.Unauthorized);
        // The control: for an admin the same malformed body reaches binding and is a 400.
        await app.AsAdmin().SendRaw(new HttpMethod(method), url, Malformed).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Another_users_data_is_403_before_the_body_is_read()
    {
        await app.AsUser(2).SendRaw(HttpMethod.Put, "/api/users/3/preferences", Malformed).ShouldBeProblem(HttpStatusCode.Forbidden);
        await app.AsUser(2).Get("/api/users/3/overview").ShouldBeProblem(HttpStatusCode.Forbidden);
        // The control: their own route with the same body is a 400, so the 403 above came from the policy.
        await app.AsUser(3).SendRaw(HttpMethod.Put, "/api/users/3/preferences", Malformed).ShouldBeProblem(HttpStatusCode.BadRequest);
        await app.AsUser(3).Get("/api/users/3/overview").ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refused_write_changes_nothing()
    {
        var before = await app.ScalarAsync<decimal>("SELECT price FROM products WHERE id = 1");
        await app.AsUser(2).Put("/api/products/1/price", new { price = before + 1 }).ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Equal(before, await app.ScalarAsync<decimal>("SELECT price FROM products WHERE id = 1"));
    }

    /// <summary>What may be called without a token: a change here is a security decision, made on purpose.</summary>
    private static readonly HashSet<string> PublicRoutes =
    [
        "GET /", "GET /health/live", "GET /health/ready", "GET /metrics", "GET /cache", "POST /api/dev/token",
        "GET /api/products/{id:int}", "GET /api/products/", "GET /api/products/{id:int}/pricing",
        "GET /api/categories/{id:int}/products", "POST /api/products/{id:int}/views", "GET /api/products/{id:int}/views",
    ];

    [Fact]
    public async Task Every_endpoint_without_AllowAnonymous_answers_401_to_an_anonymous_caller()
    {
        var endpoints = app.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Endpoint: e)))
            .ToList();
        Assert.True(endpoints.Count >= 20, $"only {endpoints.Count} endpoints found");

        var open = endpoints.Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => $"{e.Method} {e.Endpoint.RoutePattern.RawText}").ToHashSet();
        Assert.Subset(PublicRoutes, open); // nothing anonymous beyond the list

        var closed = endpoints.Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null).ToList();
        Assert.Contains(closed, e => e.Endpoint.RoutePattern.RawText == "/api/cache/stats");
        foreach (var (method, endpoint) in closed)
        {
            var url = endpoint.RoutePattern.RawText!.Replace("{id:int}", "1", StringComparison.Ordinal).Replace("{id}", "1", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method is "POST" or "PUT") request.Content = new StringContent(Malformed, System.Text.Encoding.UTF8, "application/json");
            using var response = await app.Anonymous().SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {url}: {(int)response.StatusCode}, expected 401");
        }
    }

    [Fact]
    public async Task An_unknown_route_stays_404_for_anonymous_callers() =>
        await app.Anonymous().Get("/api/no-such-thing").ShouldBeProblem(HttpStatusCode.NotFound);
}
