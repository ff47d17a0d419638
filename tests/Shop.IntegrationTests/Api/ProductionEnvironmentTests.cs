using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shop.Application.Abstractions;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Api;

/// <summary>
/// The API as deployed (environment Production): an unexpected exception is a bare 500 with no internals, and
/// the development token endpoint does not exist. Auth:Authority is a dummy issuer: it is contacted only when a
/// token is validated, and these requests carry none.
/// </summary>
public sealed class ProductionEnvironmentTests(ShopApp app) : IClassFixture<ShopApp>
{
    private const string Secret = "db-7.internal refused the connection";

    /// <summary>An instance in <paramref name="environment"/> whose database port throws, as a broken dependency would.</summary>
    private WebApplicationFactory<Program> Instance(string environment) =>
        new ShopApiFactory(app.Postgres, app.Services.Redis, app.KeyPrefix,
                settings: new Dictionary<string, string?> { ["Auth:Authority"] = "https://login.example.invalid/" },
                configureServices: services => services.AddScoped<IShopDbContext>(_ => throw new InvalidOperationException(Secret)))
            .WithWebHostBuilder(builder => builder.UseEnvironment(environment));

    [Fact]
    public async Task Unhandled_exception_in_production_is_a_500_problem_without_internals()
    {
        await using var production = Instance("Production");
        using var response = await production.CreateClient().Get("/api/products/77/pricing");

        var problem = await response.ShouldBeProblem(HttpStatusCode.InternalServerError);
        var raw = problem.ToString();
        Assert.DoesNotContain(Secret, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Shop.", raw, StringComparison.Ordinal);
        Assert.False(problem.TryGetProperty("detail", out var detail) && detail.ValueKind == System.Text.Json.JsonValueKind.String,
            $"no detail outside Development: {raw}");
    }

    [Fact]
    public async Task The_same_exception_in_development_shows_its_stack_trace()
    {
        // The control for the test above: the failure is real, and only the environment hides it.
        await using var development = Instance("Development");
        var problem = await development.CreateClient().Get("/api/products/77/pricing").ShouldBeProblem(HttpStatusCode.InternalServerError);
        Assert.Contains(Secret, problem.Text("detail"), StringComparison.Ordinal);
        Assert.Contains(" at ", problem.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_has_no_dev_token_endpoint_and_still_answers_401_as_problem()
    {
        await using var production = Instance("Production");
        var client = production.CreateClient();

        await client.Post("/api/dev/token", new { userId = 1, role = "admin" }).ShouldBeProblem(HttpStatusCode.NotFound);
        await client.Get("/api/users/1").ShouldBeProblem(HttpStatusCode.Unauthorized);
    }
}
