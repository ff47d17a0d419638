using System.Net;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Categories;

/// <summary>GET /api/categories/{id}/products: paging over the seeded catalogue (40 products per category).</summary>
public sealed class CategoryProductsTests(ShopApp app) : IClassFixture<ShopApp>
{
    [Fact]
    public async Task Page_lists_the_category_products_by_id_with_the_total()
    {
        var body = await app.Anonymous().Get("/api/categories/3/products?page=2&pageSize=10").ShouldBe(HttpStatusCode.OK);

        Assert.Equal(2, body.Number("page"));
        Assert.Equal(10, body.Number("pageSize"));
        Assert.Equal(await app.ScalarAsync<int>("SELECT count(*) FROM products WHERE category_id = 3"), body.Number("total"));
        var expectedIds = await app.ScalarAsync<string>(
            "SELECT string_agg(id::text, ',' ORDER BY id) FROM (SELECT id FROM products WHERE category_id = 3 ORDER BY id OFFSET 10 LIMIT 10) p");
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(expectedIds, string.Join(',', items.Select(i => i.Number("id"))));

        var first = items[0];
        var id = first.Number("id");
        Assert.Equal($"SKU-{id:000000}", first.Text("sku"));
        Assert.Equal(await app.ScalarAsync<string>($"SELECT name FROM products WHERE id = {id}"), first.Text("name"));
        Assert.Equal(await app.ScalarAsync<decimal>($"SELECT price FROM products WHERE id = {id}"), first.Amount("price"));
        Assert.Equal(await app.ScalarAsync<string>($"SELECT currency FROM products WHERE id = {id}"), first.Text("currency"));
        Assert.True(first.TryGetProperty("updatedAt", out _));
    }

    [Fact]
    public async Task Defaults_are_page_1_of_20()
    {
        var body = await app.Anonymous().Get("/api/categories/1/products").ShouldBe(HttpStatusCode.OK);
        Assert.Equal(1, body.Number("page"));
        Assert.Equal(20, body.Number("pageSize"));
        Assert.Equal(20, body.GetProperty("items").GetArrayLength());
        Assert.Equal(40, body.Number("total"));
    }

    [Fact]
    public async Task Last_page_is_partial_and_pages_past_the_end_are_empty()
    {
        var last = await app.Anonymous().Get("/api/categories/1/products?page=1&pageSize=50").ShouldBe(HttpStatusCode.OK);
        Assert.Equal(40, last.GetProperty("items").GetArrayLength());

        var past = await app.Anonymous().Get("/api/categories/1/products?page=9&pageSize=10").ShouldBe(HttpStatusCode.OK);
        Assert.Equal(0, past.GetProperty("items").GetArrayLength());
        Assert.Equal(40, past.Number("total"));
    }

    [Fact]
    public async Task PageSize_100_is_accepted()
    {
        var body = await app.Anonymous().Get("/api/categories/2/products?pageSize=100").ShouldBe(HttpStatusCode.OK);
        Assert.Equal(40, body.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=-5", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("page=1001", "page")]
    [InlineData("pageSize=15", "pageSize")]
    [InlineData("pageSize=1", "pageSize")]
    public async Task Out_of_range_paging_is_400_naming_the_field(string query, string field) =>
        await app.Anonymous().Get($"/api/categories/1/products?{query}").ShouldBeValidationProblem(field);

    [Theory]
    [InlineData("page=abc")]
    [InlineData("pageSize=1.5")]
    public async Task Paging_that_is_not_an_integer_is_400_problem(string query) =>
        await app.Anonymous().Get($"/api/categories/1/products?{query}").ShouldBeProblem(HttpStatusCode.BadRequest);

    [Fact]
    public async Task Unknown_category_is_404_problem()
    {
        var problem = await app.Anonymous().Get("/api/categories/999/products").ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Contains("999", problem.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Category_0_is_400_naming_categoryId() =>
        await app.Anonymous().Get("/api/categories/0/products").ShouldBeValidationProblem("categoryId");
}
