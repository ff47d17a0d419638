using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Security;

/// <summary>
/// The OpenAPI document says what the API does: a bearer requirement only on operations that need a token (and those
/// document 401 and 403 as ProblemDetails), none on public ones, and an operationId on every operation.
/// </summary>
public sealed class OpenApiContractTests(ShopApp app) : IClassFixture<ShopApp>
{
    private static readonly HashSet<string> Public =
    [
        "GetProduct", "GetProducts", "GetProductPricing", "ListCategoryProducts", "RecordPageView", "GetPageViews", "IssueDevToken",
    ];

    private async Task<List<(string Path, string Method, JsonElement Operation)>> OperationsAsync()
    {
        var doc = await app.Anonymous().Get("/swagger/v1/swagger.json").ShouldBe(System.Net.HttpStatusCode.OK);
        return [.. doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (p.Name, o.Name, o.Value)))];
    }

    [Fact]
    public async Task Every_operation_has_a_unique_operation_id()
    {
        var operations = await OperationsAsync();
        Assert.True(operations.Count >= 15, $"{operations.Count} operations");
        var ids = operations.Select(o => o.Operation.TryGetProperty("operationId", out var id) ? id.GetString() : $"(none: {o.Method} {o.Path})").ToList();
        Assert.All(ids, id => Assert.DoesNotContain("(none", id!, StringComparison.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Only_operations_that_need_a_token_declare_it_and_their_401_403()
    {
        foreach (var (path, method, operation) in await OperationsAsync())
        {
            var id = operation.GetProperty("operationId").GetString()!;
            Assert.True(operation.TryGetProperty("security", out var security), $"{id} leaves its security unsaid (public ones say [])");
            var secured = security.EnumerateArray().Any(requirement => requirement.TryGetProperty("Bearer", out _));
            var responses = operation.GetProperty("responses");
            if (Public.Contains(id))
            {
                Assert.False(secured, $"{method} {path} ({id}) is public but declares a security requirement");
                Assert.False(responses.TryGetProperty("401", out _), $"{id} documents a 401 it never answers");
            }
            else
            {
                Assert.True(secured, $"{method} {path} ({id}) needs a token but does not declare it");
                foreach (var status in new[] { "401", "403" })
                {
                    Assert.True(responses.TryGetProperty(status, out var response), $"{id} does not document {status}");
                    Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{id} {status} has no ProblemDetails body");
                }
            }
        }
    }
}
