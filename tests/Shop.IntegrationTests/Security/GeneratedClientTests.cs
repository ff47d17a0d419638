using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.Security.Generated;

namespace Shop.IntegrationTests.Security;

/// <summary>
/// The OpenAPI document is good enough to generate a typed client from (NSwag), and that client reaches every
/// operation the document lists. Generated/ShopApiClient.g.cs is generated from the served document: the first test
/// fails when the document changed and the client was not regenerated (rerun it with SHOP_UPDATE_CLIENT=1 to rewrite).
/// </summary>
public sealed class GeneratedClientTests(ShopApp app) : IClassFixture<ShopApp>
{
    private static string ClientFile([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "Generated", "ShopApiClient.g.cs");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<string> GenerateAsync(string json)
    {
        var document = await OpenApiDocument.FromJsonAsync(json, cancellationToken: Ct);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "ShopApiClient",
            UseBaseUrl = false, // HttpClient.BaseAddress decides
            InjectHttpClient = true,
            GenerateClientInterfaces = false,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            CSharpGeneratorSettings =
            {
                Namespace = "Shop.IntegrationTests.Security.Generated",
                JsonLibrary = CSharpJsonLibrary.SystemTextJson,
                GenerateNullableReferenceTypes = false,
            },
        };
        return new CSharpClientGenerator(document, settings).GenerateFile().ReplaceLineEndings("\n");
    }

    [Fact]
    public async Task The_committed_client_is_generated_from_the_served_document()
    {
        using var response = await app.Anonymous().Get("/swagger/v1/swagger.json");
        var generated = await GenerateAsync(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        if (Environment.GetEnvironmentVariable("SHOP_UPDATE_CLIENT") == "1") await File.WriteAllTextAsync(ClientFile(), generated, TestContext.Current.CancellationToken);
        var committed = (await File.ReadAllTextAsync(ClientFile(), TestContext.Current.CancellationToken)).ReplaceLineEndings("\n");
        Assert.True(committed == generated,
            "Security/Generated/ShopApiClient.g.cs is not what the served OpenAPI document generates: run this test with SHOP_UPDATE_CLIENT=1 and rebuild.");
    }

    [Fact]
    public async Task The_generated_client_calls_every_operation_of_the_document()
    {
        using var response = await app.Anonymous().Get("/swagger/v1/swagger.json");
        var document = await OpenApiDocument.FromJsonAsync(await response.Content.ReadAsStringAsync(Ct), cancellationToken: Ct);
        var operations = document.Operations.Select(o => o.Operation.OperationId).ToHashSet();
        var called = new HashSet<string>();
        var admin = new ShopApiClient(app.AsAdmin());
        var anonymous = new ShopApiClient(app.Anonymous());
        var user = new ShopApiClient(app.AsUser(2));
        var sku = "GEN-" + Guid.NewGuid().ToString("N")[..8];

        async Task<T> Call<T>(string operation, Func<Task<T>> call)
        {
            called.Add(operation);
            return await call();
        }

        Assert.Equal(1, (await Call("GetProduct", () => anonymous.GetProductAsync(1, Ct))).Id);
        Assert.Equal(2, (await Call("GetProducts", () => anonymous.GetProductsAsync("1,2", Ct))).Count);
        Assert.Equal(1, (await Call("GetProductPricing", () => anonymous.GetProductPricingAsync(1, Ct))).ProductId);
        Assert.NotEmpty((await Call("ListCategoryProducts", () => anonymous.ListCategoryProductsAsync(1, 1, 10, Ct))).Items);
        Assert.Equal(3, (await Call("RecordPageView", () => anonymous.RecordPageViewAsync(3, Ct))).ProductId);
        Assert.Equal(3, (await Call("GetPageViews", () => anonymous.GetPageViewsAsync(3, Ct))).ProductId);
        var created = await Call("CreateProduct", () => admin.CreateProductAsync(new CreateProductCommand { Sku = sku, Name = "Generated", Price = 9.5, Currency = "EUR", CategoryId = 1 }, Ct));
        Assert.Equal(sku, created.Sku);
        Assert.Equal(10.5, (await Call("ChangeProductPrice", () => admin.ChangeProductPriceAsync(created.Id, new ChangePriceRequest { Price = 10.5 }, Ct))).Price);
        Assert.Equal(2, (await Call("GetUserProfile", () => user.GetUserProfileAsync(2, Ct))).Id);
        var newUser = await Call("CreateUser", () => admin.CreateUserAsync(new CreateUserCommand { Name = "Gen", Email = sku.ToLowerInvariant() + "@example.com", Plan = "free" }, Ct));
        Assert.Equal("pro", (await Call("ChangeUserPlan", () => admin.ChangeUserPlanAsync(newUser.Id, new ChangePlanRequest { Plan = "pro" }, Ct))).Plan);
        Assert.NotNull(await Call("GetUserPreferences", () => user.GetUserPreferencesAsync(2, Ct)));
        Assert.Equal("USD", (await Call("UpdateUserPreferences", () => user.UpdateUserPreferencesAsync(2, new UpdatePreferencesRequest { Currency = "USD", Language = "en", MarketingEmails = false }, Ct))).Currency);
        Assert.Equal(2, (await Call("GetUserOverview", () => user.GetUserOverviewAsync(2, Ct))).Profile.Id);
        Assert.NotNull(await Call("GetCacheStats", () => admin.GetCacheStatsAsync(Ct)));
        Assert.Equal(512, (await Call("GetCacheEvents", () => admin.GetCacheEventsAsync(0, "product:1", 10, Ct))).Capacity);
        Assert.False(string.IsNullOrEmpty((await Call("IssueDevToken", () => anonymous.IssueDevTokenAsync(new DevTokenRequest { UserId = 2, Role = "customer" }, Ct))).AccessToken));

        Assert.Equal(operations.Order(), called.Order());

        // The documented errors are typed too: a customer's admin write is a 403 ProblemDetails.
        var refused = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => user.ChangeProductPriceAsync(1, new ChangePriceRequest { Price = 1 }, Ct));
        Assert.Equal(403, refused.StatusCode);
        Assert.Equal(403, refused.Result.Status);
    }
}
