using System.Net;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Api;

/// <summary>Health endpoints for the orchestrator and the OpenAPI document for clients.</summary>
public sealed class HealthAndDocsTests(ShopApp app) : IClassFixture<ShopApp>
{
    [Fact]
    public async Task Liveness_is_200_without_touching_the_stores()
    {
        app.Api.Sql.Reset();
        using var response = await app.Anonymous().Get("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, app.Api.Sql.Count);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task Liveness_answers_what_the_health_check_middleware_answered(string method)
    {
        // Liveness is written directly (Liveness.cs): the same status, body, content type and no-cache headers the
        // health-check middleware gave, for any method, and no X-Cache header.
        using var request = new HttpRequestMessage(new HttpMethod(method), "/health/live");
        using var response = await app.Anonymous().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(7, response.Content.Headers.ContentLength);
        Assert.Equal("no-store, no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal("no-cache", Assert.Single(response.Headers.Pragma).ToString());
        Assert.Equal(DateTimeOffset.UnixEpoch, response.Content.Headers.Expires);
        Assert.False(response.Headers.Contains("X-Cache"));
    }

    [Fact]
    public async Task Readiness_reports_postgres_and_redis_healthy()
    {
        var body = await app.Anonymous().Get("/health/ready").ShouldBe(HttpStatusCode.OK);

        Assert.Equal("Healthy", body.Text("status"));
        var checks = body.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("postgres").Text("status"));
        Assert.Equal("Healthy", checks.GetProperty("redis").Text("status"));
        Assert.StartsWith("PING", checks.GetProperty("redis").Text("description"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swagger_document_declares_the_bearer_scheme_and_the_routes()
    {
        var doc = await app.Anonymous().Get("/swagger/v1/swagger.json").ShouldBe(HttpStatusCode.OK);

        var bearer = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", bearer.Text("type"));
        Assert.Equal("bearer", bearer.Text("scheme"));
        Assert.Equal("JWT", bearer.Text("bearerFormat"));
        // Declared per operation, not globally (Security/OpenApiContractTests checks which ones).
        Assert.False(doc.TryGetProperty("security", out _), "no global security requirement");

        var paths = doc.GetProperty("paths");
        foreach (var path in new[]
        {
            "/api/products/{id}", "/api/products", "/api/products/{id}/pricing", "/api/products/{id}/price",
            "/api/categories/{id}/products", "/api/users", "/api/users/{id}", "/api/users/{id}/plan",
            "/api/users/{id}/preferences", "/api/users/{id}/overview",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"swagger.json lacks {path}");
        }
    }

    [Fact]
    public async Task Root_redirects_to_swagger_ui()
    {
        using var client = app.Api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.Get("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/swagger", response.Headers.Location?.OriginalString);
    }
}
