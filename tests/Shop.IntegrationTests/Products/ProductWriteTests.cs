using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Products;

/// <summary>
/// POST /api/products and PUT /api/products/{id}/price: what is written on success, and that nothing is
/// written on every refusal. Each test uses its own SKU or product id, so the order of tests does not matter.
/// </summary>
public sealed class ProductWriteTests(ShopApp app) : IClassFixture<ShopApp>
{
    private static object NewProduct(string sku, decimal price = 19.99m, string currency = "EUR", int categoryId = 4, string? name = null) =>
        new { sku, name = name ?? "Test Kettle", description = "Boils water.", price, currency, categoryId };

    /// <summary>A valid SKU (letters, digits, '-') unique to one test case.</summary>
    private static string Sku(string prefix, string value) =>
        prefix + "-" + string.Concat(value.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '-')) + "-" + value.Length;

    private Task<long> CountSku(string sku) => app.ScalarAsync<long>($"SELECT count(*) FROM products WHERE sku = '{sku}'");

    private Task<string?> PriceAndVersion(int id) => app.ScalarAsync<string>($"SELECT price::text || ' v' || version FROM products WHERE id = {id}");

    [Fact]
    public async Task Admin_creates_a_product_201_with_location_and_the_row()
    {
        var response = await app.AsAdmin().Post("/api/products", NewProduct("TEST-CREATE-1", price: 1234.50m, currency: "GBP", categoryId: 7));
        var body = await response.ShouldBe(HttpStatusCode.Created);

        var id = body.Number("id");
        Assert.Equal($"/api/products/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("TEST-CREATE-1", body.Text("sku"));
        Assert.Equal(1234.50m, body.Amount("price"));
        Assert.Equal("GBP", body.Text("currency"));
        Assert.Equal(7, body.Number("categoryId"));
        Assert.Equal("Category 007", body.Text("categoryName"));
        Assert.Equal(0, body.GetProperty("rating").Number("count"));
        Assert.Equal(0m, body.GetProperty("rating").Amount("average"));

        Assert.Equal(
            "TEST-CREATE-1|Test Kettle|Boils water.|1234.50|GBP|7|1",
            await app.ScalarAsync<string>(
                $"SELECT concat_ws('|', sku, name, description, price, currency, category_id, version) FROM products WHERE id = {id}"));
        Assert.True(id > 2000, "the identity sequence continues after the seeded ids");

        var fetched = await app.Anonymous().Get($"/api/products/{id}").ShouldBe(HttpStatusCode.OK);
        Assert.Equal("TEST-CREATE-1", fetched.Text("sku"));
    }

    [Fact]
    public async Task Created_product_without_description_gets_an_empty_one()
    {
        var body = await app.AsAdmin().Post("/api/products",
            new { sku = "TEST-NODESC", name = "Lamp", price = 5m, currency = "EUR", categoryId = 1 }).ShouldBe(HttpStatusCode.Created);
        Assert.Equal("", body.Text("description"));
        Assert.Equal("", await app.ScalarAsync<string>($"SELECT description FROM products WHERE id = {body.Number("id")}"));
    }

    [Fact]
    public async Task Duplicate_sku_is_409_and_no_row_is_added()
    {
        var before = await app.ScalarAsync<long>("SELECT count(*) FROM products");

        var problem = await app.AsAdmin().Post("/api/products", NewProduct("SKU-000001")).ShouldBeProblem(HttpStatusCode.Conflict);

        Assert.Contains("SKU", problem.Text("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await app.ScalarAsync<long>("SELECT count(*) FROM products"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1000000.01")]
    [InlineData("1.001")]
    public async Task Bad_price_is_400_naming_price_and_nothing_is_written(string price)
    {
        var sku = Sku("TEST-PRICE", price);
        await app.AsAdmin().Post("/api/products", NewProduct(sku, price: decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)))
            .ShouldBeValidationProblem("price");
        Assert.Equal(0, await CountSku(sku));
    }

    [Theory]
    [InlineData("0.01")]
    [InlineData("1000000")]
    public async Task Price_bounds_are_accepted(string price)
    {
        var sku = Sku("TEST-BOUND", price);
        var body = await app.AsAdmin().Post("/api/products", NewProduct(sku, price: decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)))
            .ShouldBe(HttpStatusCode.Created);
        Assert.Equal(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), body.Amount("price"));
        Assert.Equal(1, await CountSku(sku));
    }

    [Theory]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    [InlineData("")]
    public async Task Bad_currency_is_400_naming_currency_and_nothing_is_written(string currency)
    {
        var sku = Sku("TEST-CUR", currency);
        await app.AsAdmin().Post("/api/products", NewProduct(sku, currency: currency)).ShouldBeValidationProblem("currency");
        Assert.Equal(0, await CountSku(sku));
    }

    [Fact]
    public async Task Name_over_200_characters_is_400_naming_name_and_nothing_is_written()
    {
        await app.AsAdmin().Post("/api/products", NewProduct("TEST-LONGNAME", name: new string('n', 201))).ShouldBeValidationProblem("name");
        Assert.Equal(0, await CountSku("TEST-LONGNAME"));
    }

    [Fact]
    public async Task Name_of_exactly_200_characters_is_accepted()
    {
        await app.AsAdmin().Post("/api/products", NewProduct("TEST-NAME200", name: new string('n', 200))).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(200, await app.ScalarAsync<int>("SELECT length(name) FROM products WHERE sku = 'TEST-NAME200'"));
    }

    [Theory]
    [InlineData(999)]
    [InlineData(0)]
    public async Task Unknown_category_is_400_naming_categoryId_and_nothing_is_written(int categoryId)
    {
        var sku = "TEST-CAT-" + categoryId;
        await app.AsAdmin().Post("/api/products", NewProduct(sku, categoryId: categoryId)).ShouldBeValidationProblem("categoryId");
        Assert.Equal(0, await CountSku(sku));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    public async Task Bad_sku_is_400_naming_sku(string sku) =>
        await app.AsAdmin().Post("/api/products", NewProduct(sku)).ShouldBeValidationProblem("sku");

    [Fact]
    public async Task Several_bad_fields_are_all_reported()
    {
        var problem = await app.AsAdmin().Post("/api/products", NewProduct("TEST-MANY", price: 0m, currency: "x", categoryId: -1))
            .ShouldBeValidationProblem("price");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("currency", out _));
        Assert.True(errors.TryGetProperty("categoryId", out _));
        Assert.Equal(0, await CountSku("TEST-MANY"));
    }

    [Fact]
    public async Task Anonymous_create_is_401_and_nothing_is_written()
    {
        await app.Anonymous().Post("/api/products", NewProduct("TEST-ANON")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountSku("TEST-ANON"));
    }

    [Fact]
    public async Task Customer_create_is_403_and_nothing_is_written()
    {
        await app.AsUser(3).Post("/api/products", NewProduct("TEST-CUSTOMER")).ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Equal(0, await CountSku("TEST-CUSTOMER"));
    }

    [Fact]
    public async Task Customer_is_refused_before_validation()
    {
        // Authorization runs first, so a customer learns nothing about what an admin-only command would accept.
        await app.AsUser(3).Post("/api/products", NewProduct("", price: 0m)).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Admin_changes_a_price_the_row_and_its_version_change()
    {
        Assert.Equal("94.19 v1", await PriceAndVersion(11));

        var body = await app.AsAdmin().Put("/api/products/11/price", new { price = 123.45m }).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(11, body.Number("id"));
        Assert.Equal(123.45m, body.Amount("price"));
        Assert.Equal("SKU-000011", body.Text("sku"));
        Assert.Equal(await app.ScalarAsync<int>("SELECT count(*) FROM reviews WHERE product_id = 11"), body.GetProperty("rating").Number("count"));
        Assert.Equal("123.45 v2", await PriceAndVersion(11));
        Assert.True(await app.ScalarAsync<bool>("SELECT updated_at > created_at FROM products WHERE id = 11"));

        await app.AsAdmin().Put("/api/products/11/price", new { price = 99m }).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("99.00 v3", await PriceAndVersion(11));
    }

    [Fact]
    public async Task A_price_change_answers_without_X_Cache_and_the_next_read_misses()
    {
        await app.Anonymous().GetOk("/api/products/15"); // cached in L1 and Redis

        using var write = await app.AsAdmin().Put("/api/products/15/price", new { price = 55m });
        Assert.Equal(HttpStatusCode.OK, write.StatusCode);
        // The contract a client sees: a write reports no cache outcome (it read nothing through the cache; its endpoint
        // also opts out of the header's callback, which only saves work and is not visible here).
        Assert.False(write.Headers.Contains("X-Cache"));

        using var read = await app.Anonymous().GetOk("/api/products/15");
        Assert.Equal("MISS", read.CacheHeader()); // the write dropped both levels: the read goes to PostgreSQL
        Assert.Equal(55m, (await read.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).Amount("price"));
    }

    [Fact]
    public async Task After_a_price_change_every_reader_sees_the_new_price()
    {
        // Read first, so that a cache (if any) holds the old page and the old price.
        await app.Anonymous().Get("/api/products/14").ShouldBe(HttpStatusCode.OK);
        await app.Anonymous().Get("/api/products/14/pricing").ShouldBe(HttpStatusCode.OK);
        await app.Anonymous().Get("/api/products?ids=14").ShouldBe(HttpStatusCode.OK);
        await app.Anonymous().Get("/api/categories/14/products?pageSize=10").ShouldBe(HttpStatusCode.OK);

        await app.AsAdmin().Put("/api/products/14/price", new { price = 321.09m }).ShouldBe(HttpStatusCode.OK);

        var page = await app.Anonymous().Get("/api/products/14").ShouldBe(HttpStatusCode.OK);
        var pricing = await app.Anonymous().Get("/api/products/14/pricing").ShouldBe(HttpStatusCode.OK);
        var batch = await app.Anonymous().Get("/api/products?ids=14").ShouldBe(HttpStatusCode.OK);
        var listing = await app.Anonymous().Get("/api/categories/14/products?pageSize=10").ShouldBe(HttpStatusCode.OK);
        Assert.Equal(
            "page 321.09, pricing 321.09, batch 321.09, listing 321.09",
            $"page {page.Amount("price")}, pricing {pricing.Amount("price")}, batch {batch[0].Amount("price")}, " +
            $"listing {listing.GetProperty("items")[0].Amount("price")}");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1000000.01")]
    [InlineData("1.001")]
    public async Task Bad_new_price_is_400_naming_price_and_nothing_is_written(string price)
    {
        var before = await PriceAndVersion(12);
        await app.AsAdmin().Put("/api/products/12/price", new { price = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture) })
            .ShouldBeValidationProblem("price");
        Assert.Equal(before, await PriceAndVersion(12));
    }

    [Fact]
    public async Task Missing_price_is_400_naming_price() =>
        await app.AsAdmin().Put("/api/products/12/price", new { }).ShouldBeValidationProblem("price");

    [Fact]
    public async Task New_price_for_unknown_product_is_404_and_nothing_is_written()
    {
        var before = await app.ScalarAsync<long>("SELECT count(*) FROM products");
        await app.AsAdmin().Put("/api/products/999999/price", new { price = 10m }).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Equal(before, await app.ScalarAsync<long>("SELECT count(*) FROM products"));
    }

    [Fact]
    public async Task New_price_for_product_0_is_400_naming_productId() =>
        await app.AsAdmin().Put("/api/products/0/price", new { price = 10m }).ShouldBeValidationProblem("productId");

    [Fact]
    public async Task Anonymous_price_change_is_401_and_nothing_is_written()
    {
        var before = await PriceAndVersion(13);
        await app.Anonymous().Put("/api/products/13/price", new { price = 10m }).ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(before, await PriceAndVersion(13));
    }

    [Fact]
    public async Task Customer_price_change_is_403_and_nothing_is_written()
    {
        var before = await PriceAndVersion(13);
        await app.AsUser(3).Put("/api/products/13/price", new { price = 10m }).ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Equal(before, await PriceAndVersion(13));
    }
}
