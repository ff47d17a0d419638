using System.Net;
using System.Text;
using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Api;

/// <summary>
/// Malformed or hostile input answers a 4xx ProblemDetails without internals and changes nothing; what a write caches
/// is exactly what PostgreSQL stored.
/// </summary>
public sealed class HostileInputTests(ShopApp app) : IClassFixture<ShopApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<string?> Preferences(int userId) =>
        app.ScalarAsync<string>($"SELECT concat_ws('|', currency, language, marketing_emails::text, version) FROM user_preferences WHERE user_id = {userId}");

    private Task<long> ProductCount() => app.ScalarAsync<long>("SELECT count(*) FROM products");

    private Task<long> UserCount() => app.ScalarAsync<long>("SELECT count(*) FROM users");

    private static void NoInternals(JsonElement problem)
    {
        var raw = problem.ToString();
        foreach (var secret in new[] { "Exception", "   at ", "System.", "Microsoft.", "Npgsql", "Shop." })
            Assert.DoesNotContain(secret, raw, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var request = new HttpRequestMessage(method, url) { Content = content };
        return await client.SendAsync(request, Ct);
    }

    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=\"latin1\"")]
    public async Task A_body_in_a_charset_other_than_utf8_is_415_problem_and_nothing_is_written(string contentType)
    {
        var before = await ProductCount();
        const string json = "{\"sku\":\"TEST-CHARSET\",\"name\":\"n\",\"price\":1,\"currency\":\"EUR\",\"categoryId\":1}";
        using var response = await Send(app.AsAdmin(), HttpMethod.Post, "/api/products", json, contentType);
        var problem = await response.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("UTF-8", problem.Text("detail"), StringComparison.Ordinal);
        NoInternals(problem);
        Assert.Equal(before, await ProductCount());
    }

    [Fact]
    public async Task Utf8_named_explicitly_is_accepted()
    {
        const string json = "{\"sku\":\"TEST-UTF8\",\"name\":\"n\",\"price\":1,\"currency\":\"EUR\",\"categoryId\":1}";
        foreach (var (sku, contentType) in new[] { ("TEST-UTF8-A", "application/json; charset=\"UTF-8\""), ("TEST-UTF8-B", "application/json; charset=utf8") })
        {
            using var response = await Send(app.AsAdmin(), HttpMethod.Post, "/api/products", json.Replace("TEST-UTF8", sku, StringComparison.Ordinal), contentType);
            await response.ShouldBe(HttpStatusCode.Created);
        }
    }

    [Theory]
    [InlineData("N\\u0000ULL", "name")] // PostgreSQL refuses NUL in text: this was a 500 from DbUpdateException
    [InlineData("line\\nbreak", "name")]
    [InlineData("bell\\u0007", "name")]
    [InlineData("lone \\ud800 surrogate", "name")] // not encodable as UTF-8
    [InlineData("Cafe\\u0301", "name")] // NFD: "Café" spelt with a combining accent
    [InlineData("evil\\u202egnp.exe", "name")] // right-to-left override
    [InlineData("desc\\u0000", "description")]
    public async Task A_product_with_unstorable_text_is_400_and_nothing_is_written(string text, string field)
    {
        var before = await ProductCount();
        var json = field == "name"
            ? $"{{\"sku\":\"TEST-TEXT\",\"name\":\"{text}\",\"price\":1,\"currency\":\"EUR\",\"categoryId\":1}}"
            : $"{{\"sku\":\"TEST-TEXT\",\"name\":\"n\",\"description\":\"{text}\",\"price\":1,\"currency\":\"EUR\",\"categoryId\":1}}";
        // A lone surrogate is refused by the JSON reader already (a 400 naming the path), the rest by the validator.
        var problem = await app.AsAdmin().SendRaw(HttpMethod.Post, "/api/products", json).ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors) ? errors.TryGetProperty(field, out _) : problem.Text("detail").Contains("$." + field, StringComparison.Ordinal),
            $"the problem names {field}: {problem}");
        NoInternals(problem);
        Assert.Equal(before, await ProductCount());
    }

    [Theory]
    [InlineData("{\"name\":\"A\\u0000\",\"email\":\"a@example.com\",\"plan\":\"pro\"}", "name")]
    [InlineData("{\"name\":\"A\",\"email\":\"a\\n@example.com\",\"plan\":\"pro\"}", "email")]
    [InlineData("{\"name\":\"A\",\"email\":\"a@example.com\",\"plan\":\"pro\\n\"}", "plan")]
    public async Task A_user_with_unstorable_text_is_400_and_nothing_is_written(string json, string field)
    {
        var before = await UserCount();
        NoInternals(await app.AsAdmin().SendRaw(HttpMethod.Post, "/api/users", json).ShouldBeValidationProblem(field));
        Assert.Equal(before, await UserCount());
    }

    [Theory]
    [InlineData("EUR\\n", "en", "currency")] // `$` matches before a final newline: the pattern ends with \z now
    [InlineData("EUR ", "en", "currency")]
    [InlineData("EU", "en", "currency")]
    [InlineData("EUR", "en\\n", "language")]
    [InlineData("EUR", "en-GB\\n", "language")]
    public async Task Preferences_with_a_trailing_newline_are_400_and_neither_the_database_nor_the_cache_changes(
        string currency, string language, string field)
    {
        var user = app.AsUser(33);
        var before = await Preferences(33);
        var cachedBefore = await user.Get("/api/users/33/preferences").ShouldBe(HttpStatusCode.OK);

        var json = $"{{\"currency\":\"{currency}\",\"language\":\"{language}\",\"marketingEmails\":true}}";
        NoInternals(await user.SendRaw(HttpMethod.Put, "/api/users/33/preferences", json).ShouldBeValidationProblem(field));

        Assert.Equal(before, await Preferences(33));
        using var after = await user.Get("/api/users/33/preferences");
        var cachedAfter = await after.ShouldBe(HttpStatusCode.OK);
        Assert.NotEqual("MISS", after.CacheHeader()); // served from the cache, which was not touched either
        Assert.Equal(cachedBefore.ToString(), cachedAfter.ToString());
    }

    [Theory]
    [InlineData("{\"price\": 1e309}")]
    [InlineData("{\"price\": 79228162514264337593543950336}")]
    [InlineData("{\"price\": -1}")]
    [InlineData("{\"price\": 0.001}")]
    [InlineData("{\"price\": \"abc\"}")]
    [InlineData("{\"price\": null}")]
    [InlineData("{\"price\": [1]}")]
    public async Task A_price_out_of_range_or_of_the_wrong_type_is_400_problem_and_changes_nothing(string json)
    {
        var before = await app.ScalarAsync<string>("SELECT concat_ws('|', price, version) FROM products WHERE id = 5");
        using var response = await app.AsAdmin().SendRaw(HttpMethod.Put, "/api/products/5/price", json);
        NoInternals(await response.ShouldBeProblem(HttpStatusCode.BadRequest));
        Assert.Equal(before, await app.ScalarAsync<string>("SELECT concat_ws('|', price, version) FROM products WHERE id = 5"));
    }

    [Theory]
    [InlineData("/api/products/2147483648")] // over int: the route does not match
    [InlineData("/api/products/1e309")]
    [InlineData("/api/categories/1/products?page=2147483648")]
    [InlineData("/api/categories/1/products?pageSize=abc")]
    [InlineData("/api/categories/1/products?page=0")]
    [InlineData("/api/categories/1/products?page=100001")]
    [InlineData("/api/categories/-1/products")]
    [InlineData("/api/products?ids=2147483648")]
    [InlineData("/api/products?ids=1%002")]
    public async Task Numbers_out_of_range_are_a_4xx_problem(string url)
    {
        using var response = await app.Anonymous().Get(url);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{url}: {(int)response.StatusCode}");
        NoInternals(await response.ShouldBeProblem(response.StatusCode));
    }

    [Fact]
    public async Task Deeply_nested_json_is_400_problem()
    {
        var json = new string('[', 5000) + new string(']', 5000);
        NoInternals(await app.AsAdmin().SendRaw(HttpMethod.Post, "/api/products", json).ShouldBeProblem(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_json_error_names_the_path_but_no_dotnet_type()
    {
        var problem = await app.AsAdmin().SendRaw(HttpMethod.Put, "/api/products/5/price", "{\"price\": \"abc\"}")
            .ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Contains("$.price", problem.Text("detail"), StringComparison.Ordinal);
        NoInternals(problem);
    }

    [Fact]
    public async Task Tricky_but_valid_text_is_stored_and_cached_exactly_as_sent()
    {
        // NFC text with accents, an emoji (a surrogate pair), quotes, a backslash, and line breaks where allowed.
        const string name = "Zoë's \"caf\u00e9\" \\ 🛒 ℌ";
        const string description = "line one\r\nline two\ttabbed\n";
        var created = await app.AsAdmin().Post("/api/products", new { sku = "TEST-TRICKY", name, description, price = 12.5m, currency = "GBP", categoryId = 3 })
            .ShouldBe(HttpStatusCode.Created);
        var id = created.Number("id");
        Assert.Equal(name, await app.ScalarAsync<string>($"SELECT name FROM products WHERE id = {id}"));
        Assert.Equal(description, await app.ScalarAsync<string>($"SELECT description FROM products WHERE id = {id}"));

        await app.Anonymous().Get($"/api/products/{id}").ShouldBe(HttpStatusCode.OK); // fills the cache
        using var cached = await app.Anonymous().Get($"/api/products/{id}");
        var body = await cached.ShouldBe(HttpStatusCode.OK);
        Assert.NotEqual("MISS", cached.CacheHeader());
        Assert.Equal(name, body.Text("name"));
        Assert.Equal(description, body.Text("description"));

        // Write-through: the value cached by the PUT is what PostgreSQL holds, field by field.
        var user = app.AsUser(34);
        var written = await user.Put("/api/users/34/preferences", new { currency = "GBP", language = "en-GB", marketingEmails = true })
            .ShouldBe(HttpStatusCode.OK);
        using var read = await user.Get("/api/users/34/preferences");
        var readBody = await read.ShouldBe(HttpStatusCode.OK);
        Assert.NotEqual("MISS", read.CacheHeader());
        Assert.Equal(written.ToString(), readBody.ToString());
        Assert.Equal(
            await app.ScalarAsync<string>("SELECT concat_ws('|', currency, language, marketing_emails::text) FROM user_preferences WHERE user_id = 34"),
            $"{readBody.Text("currency")}|{readBody.Text("language")}|{(readBody.GetProperty("marketingEmails").GetBoolean() ? "true" : "false")}");
    }
}
