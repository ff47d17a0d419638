using System.Net;
using System.Text;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Api;

/// <summary>Requests the API cannot route or read still get a ProblemDetails answer, and write nothing.</summary>
public sealed class ErrorHandlingTests(ShopApp app) : IClassFixture<ShopApp>
{
    private const int MaxBodyBytes = 64 * 1024; // Api:MaxRequestBodyBytes in appsettings.json

    private Task<long> ProductCount() => app.ScalarAsync<long>("SELECT count(*) FROM products");

    [Theory]
    [InlineData("{\"sku\": ")]
    [InlineData("{\"sku\": \"TEST-X\", \"price\": \"abc\", \"name\": \"n\", \"currency\": \"EUR\", \"categoryId\": 1}")]
    [InlineData("[1, 2]")]
    [InlineData("not json at all")]
    [InlineData("")]
    public async Task Malformed_json_body_is_400_problem_and_nothing_is_written(string json)
    {
        var before = await ProductCount();
        await app.AsAdmin().SendRaw(HttpMethod.Post, "/api/products", json).ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Equal(before, await ProductCount());
    }

    [Fact]
    public async Task Malformed_json_on_a_user_route_is_400_problem()
    {
        var before = await app.ScalarAsync<string>("SELECT plan FROM users WHERE id = 60");
        await app.AsAdmin().SendRaw(HttpMethod.Put, "/api/users/60/plan", "{\"plan\": ").ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Equal(before, await app.ScalarAsync<string>("SELECT plan FROM users WHERE id = 60"));
    }

    [Fact]
    public async Task Body_that_is_not_json_is_415_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/products/1/price")
        {
            Content = new StringContent("price=10", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        await app.AsAdmin().SendAsync(request, TestContext.Current.CancellationToken).ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(1, await app.ScalarAsync<long>("SELECT version FROM products WHERE id = 1"));
    }

    /// <summary>A create-product body of exactly <paramref name="length"/> bytes (its description pads it).</summary>
    private static string BodyOfLength(int length)
    {
        const string template = "{\"sku\":\"TEST-BIG\",\"name\":\"Big\",\"description\":\"\",\"price\":1,\"currency\":\"EUR\",\"categoryId\":1}";
        var body = template.Replace("\"description\":\"\"", $"\"description\":\"{new string('d', length - template.Length)}\"", StringComparison.Ordinal);
        Assert.Equal(length, Encoding.UTF8.GetByteCount(body));
        return body;
    }

    [Fact]
    public async Task Body_over_64_KiB_is_413_problem_and_nothing_is_written()
    {
        var before = await ProductCount();
        var problem = await app.AsAdmin().SendRaw(HttpMethod.Post, "/api/products", BodyOfLength(MaxBodyBytes + 1))
            .ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains(MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.Text("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await ProductCount());
    }

    [Fact]
    public async Task Body_of_exactly_64_KiB_is_read_and_validated()
    {
        // Not 413: the body is read, and refused only because the description is over 4000 characters.
        await app.AsAdmin().SendRaw(HttpMethod.Post, "/api/products", BodyOfLength(MaxBodyBytes)).ShouldBeValidationProblem("description");
    }

    [Fact]
    public async Task Oversized_body_is_refused_before_authentication()
    {
        // The size check runs first, so even an anonymous caller cannot make the server buffer a large body.
        await app.Anonymous().SendRaw(HttpMethod.Post, "/api/products", BodyOfLength(MaxBodyBytes + 1))
            .ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    /// <summary>A body with no Content-Length, so it is sent chunked and only its reader can see how long it is.</summary>
    private sealed class ChunkedJson(string json) : HttpContent
    {
        private readonly byte[] _bytes = Encoding.UTF8.GetBytes(json);

        public ChunkedJson(int length) : this(BodyOfLength(length)) { }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    private static async Task<HttpResponseMessage> PostChunked(HttpClient client, int length)
    {
        using var content = new ChunkedJson(length);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/products") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Chunked_body_over_64_KiB_is_413_problem_and_nothing_is_written()
    {
        var before = await ProductCount();
        await PostChunked(app.AsAdmin(), MaxBodyBytes + 1).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await ProductCount());
    }

    [Fact]
    public async Task Chunked_body_within_the_limit_is_read_whole()
    {
        await PostChunked(app.AsAdmin(), MaxBodyBytes).ShouldBeValidationProblem("description");
        const string json = "{\"sku\":\"TEST-CHUNKED\",\"name\":\"Chunked\",\"price\":3.5,\"currency\":\"EUR\",\"categoryId\":2}";
        using var content = new ChunkedJson(json);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        await app.AsAdmin().PostAsync("/api/products", content, TestContext.Current.CancellationToken).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(1, await app.ScalarAsync<long>("SELECT count(*) FROM products WHERE sku = 'TEST-CHUNKED'"));
    }

    [Fact]
    public async Task Kestrel_refuses_declared_and_chunked_bodies_over_64_KiB()
    {
        // The real server over a socket: Kestrel enforces the limit on chunked bodies itself.
        await using var kestrel = new ShopApiFactory(app.Postgres, app.Services.Redis, app.KeyPrefix);
        kestrel.UseKestrel(0);
        kestrel.StartServer();
        var admin = app.AsAdmin(kestrel);
        var before = await ProductCount();

        await admin.SendRaw(HttpMethod.Post, "/api/products", BodyOfLength(MaxBodyBytes + 1)).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        await PostChunked(admin, MaxBodyBytes + 1).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        // Kestrel counts the chunk framing (13 bytes here) against the limit, so its chunked boundary is not pinned.
        await PostChunked(admin, MaxBodyBytes - 1000).ShouldBeValidationProblem("description");
        Assert.Equal(before, await ProductCount());
    }

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/products/1/nothing")]
    [InlineData("/api/categories/1")]
    public async Task Unknown_route_is_404_problem(string url) =>
        await app.Anonymous().Get(url).ShouldBeProblem(HttpStatusCode.NotFound);

    [Fact]
    public async Task Wrong_method_is_405_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/products/1");
        await app.AsAdmin().SendAsync(request, TestContext.Current.CancellationToken).ShouldBeProblem(HttpStatusCode.MethodNotAllowed);
        Assert.Equal(1, await app.ScalarAsync<long>("SELECT count(*) FROM products WHERE id = 1"));
    }
}
