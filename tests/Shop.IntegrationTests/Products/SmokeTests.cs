using System.Net;
using System.Net.Http.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Products;

public sealed class SmokeTests(ShopServices services) : IClassFixture<ShopApp>
{
    [Fact]
    public async Task Product_page_is_served_from_postgres()
    {
        await using var app = new ShopApp(services);
        await app.InitializeAsync();
        var response = await app.Anonymous().GetAsync(new Uri("/api/products/42", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>(TestContext.Current.CancellationToken);
        Assert.Equal("SKU-000042", body!["sku"].ToString());
    }
}
