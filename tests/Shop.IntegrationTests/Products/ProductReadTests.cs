using System.Net;
using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Products;

/// <summary>GET /api/products/{id}, /api/products?ids=… and /api/products/{id}/pricing on the seeded catalogue (read-only).</summary>
public sealed class ProductReadTests(ShopApp app) : IClassFixture<ShopApp>
{
    [Theory]
    [InlineData(42)]
    [InlineData(1)]
    [InlineData(2000)]
    public async Task Product_page_matches_the_database_including_the_review_summary(int id)
    {
        var body = await app.Anonymous().Get($"/api/products/{id}").ShouldBe(HttpStatusCode.OK);

        Assert.Equal(id, body.Number("id"));
        Assert.Equal($"SKU-{id:000000}", body.Text("sku"));
        Assert.Equal(await app.ScalarAsync<string>($"SELECT name FROM products WHERE id = {id}"), body.Text("name"));
        Assert.Equal(await app.ScalarAsync<string>($"SELECT description FROM products WHERE id = {id}"), body.Text("description"));
        Assert.Equal(await app.ScalarAsync<decimal>($"SELECT price FROM products WHERE id = {id}"), body.Amount("price"));
        Assert.Equal(await app.ScalarAsync<string>($"SELECT currency FROM products WHERE id = {id}"), body.Text("currency"));
        Assert.Equal(await app.ScalarAsync<int>($"SELECT category_id FROM products WHERE id = {id}"), body.Number("categoryId"));
        Assert.Equal(
            await app.ScalarAsync<string>($"SELECT c.name FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = {id}"),
            body.Text("categoryName"));
        Assert.Equal(
            await app.ScalarAsync<DateTime>($"SELECT updated_at FROM products WHERE id = {id}"),
            body.GetProperty("updatedAt").GetDateTimeOffset().UtcDateTime);

        var rating = body.GetProperty("rating");
        var count = await app.ScalarAsync<int>($"SELECT count(*) FROM reviews WHERE product_id = {id}");
        var average = await app.ScalarAsync<decimal>($"SELECT coalesce(round(avg(rating)::numeric, 2), 0) FROM reviews WHERE product_id = {id}");
        Assert.True(count > 0, "the demo seed gives every product reviews; pick another id if it stops doing so");
        Assert.Equal(count, rating.Number("count"));
        Assert.Equal(average, rating.Amount("average"));
    }

    [Fact]
    public async Task An_l1_hit_answers_the_same_bytes_and_content_type_as_the_miss_that_filled_it()
    {
        var client = app.Anonymous();
        using var miss = await client.GetOk("/api/products/377"); // no other test here reads 377 (the batch test reads 1 to 100)
        using var hit = await client.GetOk("/api/products/377");

        Assert.Equal("MISS", miss.CacheHeader());
        Assert.Equal("L1", hit.CacheHeader()); // written from the bytes remembered beside the L1 entry (CachedJson)
        Assert.Equal("application/json; charset=utf-8", hit.Content.Headers.ContentType?.ToString());
        Assert.Equal(miss.Content.Headers.ContentType?.ToString(), hit.Content.Headers.ContentType?.ToString());
        Assert.Equal(await miss.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            await hit.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Unknown_product_is_404_problem()
    {
        var problem = await app.Anonymous().Get("/api/products/999999").ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Contains("999999", problem.Text("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-2147483648")]
    public async Task Product_id_that_is_not_positive_is_400_naming_id(string id) =>
        await app.Anonymous().Get($"/api/products/{id}").ShouldBeValidationProblem("id");

    [Fact]
    public async Task Product_id_that_is_not_an_int_does_not_match_the_route() =>
        await app.Anonymous().Get("/api/products/abc").ShouldBeProblem(HttpStatusCode.NotFound);

    [Fact]
    public async Task Batch_returns_products_in_the_order_asked_and_leaves_out_absent_ids()
    {
        var body = await app.Anonymous().Get("/api/products?ids=3,1,999999").ShouldBe(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Array, body.ValueKind);
        Assert.Equal([3, 1], body.EnumerateArray().Select(p => p.Number("id")));
        Assert.Equal("SKU-000003", body[0].Text("sku"));
        Assert.Equal(await app.ScalarAsync<int>("SELECT count(*) FROM reviews WHERE product_id = 1"), body[1].GetProperty("rating").Number("count"));
    }

    [Fact]
    public async Task Batch_accepts_spaces_and_exactly_100_ids()
    {
        var ids = string.Join(", ", Enumerable.Range(1, 100).Reverse());
        var body = await app.Anonymous().Get($"/api/products?ids={ids}").ShouldBe(HttpStatusCode.OK);
        Assert.Equal(Enumerable.Range(1, 100).Reverse(), body.EnumerateArray().Select(p => p.Number("id")));
    }

    [Fact]
    public async Task Batch_of_only_absent_ids_is_an_empty_array()
    {
        var body = await app.Anonymous().Get("/api/products?ids=999998,999999").ShouldBe(HttpStatusCode.OK);
        Assert.Equal(0, body.GetArrayLength());
    }

    [Theory]
    [InlineData("/api/products", "ids")]
    [InlineData("/api/products?ids=", "ids")]
    [InlineData("/api/products?ids=1,1", "ids")]
    [InlineData("/api/products?ids=1,abc", "ids")]
    [InlineData("/api/products?ids=1,,2", "ids")]
    [InlineData("/api/products?ids=1.5", "ids")]
    [InlineData("/api/products?ids=99999999999", "ids")]
    [InlineData("/api/products?ids=-1", "ids[0]")]
    [InlineData("/api/products?ids=5,0", "ids[1]")]
    public async Task Batch_with_bad_ids_is_400_naming_the_field(string url, string field) =>
        await app.Anonymous().Get(url).ShouldBeValidationProblem(field);

    [Fact]
    public async Task Batch_of_101_ids_is_400()
    {
        var ids = string.Join(',', Enumerable.Range(1, 101));
        await app.Anonymous().Get($"/api/products?ids={ids}").ShouldBeValidationProblem("ids");
    }

    [Fact]
    public async Task Pricing_matches_the_database()
    {
        var body = await app.Anonymous().Get("/api/products/5/pricing").ShouldBe(HttpStatusCode.OK);

        Assert.Equal(5, body.Number("productId"));
        Assert.Equal(await app.ScalarAsync<decimal>("SELECT price FROM products WHERE id = 5"), body.Amount("price"));
        Assert.Equal(await app.ScalarAsync<string>("SELECT currency FROM products WHERE id = 5"), body.Text("currency"));
        Assert.Equal(
            await app.ScalarAsync<DateTime>("SELECT updated_at FROM products WHERE id = 5"),
            body.GetProperty("updatedAt").GetDateTimeOffset().UtcDateTime);
    }

    [Fact]
    public async Task Pricing_of_unknown_product_is_404_problem() =>
        await app.Anonymous().Get("/api/products/999999/pricing").ShouldBeProblem(HttpStatusCode.NotFound);

    [Fact]
    public async Task Pricing_of_product_0_is_400_naming_productId() =>
        await app.Anonymous().Get("/api/products/0/pricing").ShouldBeValidationProblem("productId");
}
