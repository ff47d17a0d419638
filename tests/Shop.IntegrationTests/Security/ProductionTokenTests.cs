using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.Api.Security;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Security;

/// <summary>
/// A Production host with its own signing key (no identity provider): tokens minted with that key are accepted;
/// tokens with the development key, another issuer or audience, another algorithm, no signature or an expired
/// lifetime are refused. Also the control for <see cref="StartupSafetyTests"/>: a safe Production configuration starts.
/// </summary>
public sealed class ProductionTokenTests(ShopApp app) : IClassFixture<ShopApp>
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    private WebApplicationFactory<Program> Production(Dictionary<string, string?>? settings = null)
    {
        var merged = new Dictionary<string, string?> { ["Auth:SigningKey"] = Key, ["Auth:Authority"] = null };
        foreach (var (k, v) in settings ?? []) merged[k] = v;
        return new ShopApiFactory(app.Postgres, app.Services.Redis, app.KeyPrefix, settings: merged)
            .WithWebHostBuilder(builder => builder.UseEnvironment("Production"));
    }

    private static AuthOptions Options(string? key = null) => new() { SigningKey = key ?? Key };

    private static HttpClient With(WebApplicationFactory<Program> factory, string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_token_minted_with_the_deployment_key_is_accepted_and_sub_is_the_shop_user()
    {
        await using var production = Production();
        var (token, _) = TokenIssuer.Issue(Options(), "7", Roles.Customer, DateTimeOffset.UtcNow);
        var client = With(production, token);

        var profile = await client.Get("/api/users/7").ShouldBe(HttpStatusCode.OK);
        Assert.Equal(7, profile.Number("id"));
        await client.Get("/api/users/8").ShouldBeProblem(HttpStatusCode.Forbidden); // sub 7 is user 7 only
    }

    [Fact]
    public async Task The_mint_token_command_prints_a_token_the_api_accepts()
    {
        var (exit, output) = await ApiProcess.RunAsync(["mint-token", "--sub", "1", "--role", "admin"], new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth__SigningKey"] = Key,
            ["ConnectionStrings__Postgres"] = app.Postgres,
        });
        Assert.True(exit == 0, output);
        await using var production = Production();
        await With(production, output.Trim()).Get("/api/users/5").ShouldBe(HttpStatusCode.OK); // admin reads anyone
    }

    public static TheoryData<string> RefusedTokens => new()
    {
        "development key", "other issuer", "other audience", "HS512", "unsigned", "expired",
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Tokens_outside_the_pinned_parameters_are_401(string kind)
    {
        await using var production = Production();
        var now = DateTimeOffset.UtcNow;
        var token = kind switch
        {
            "development key" => TokenIssuer.Issue(Options(AuthOptions.DevelopmentSigningKey), "1", Roles.Admin, now).Token,
            "other issuer" => TokenIssuer.Issue(new AuthOptions { SigningKey = Key, Issuer = "someone-else" }, "1", Roles.Admin, now).Token,
            "other audience" => TokenIssuer.Issue(new AuthOptions { SigningKey = Key, Audience = "another-api" }, "1", Roles.Admin, now).Token,
            "HS512" => Sign(SecurityAlgorithms.HmacSha512, now),
            "unsigned" => Unsigned(now),
            "expired" => TokenIssuer.Issue(Options(), "1", Roles.Admin, now.AddHours(-2), TimeSpan.FromMinutes(30)).Token,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        await With(production, token).Get("/api/users/1").ShouldBeProblem(HttpStatusCode.Unauthorized);
        // The control: the same call with a proper token is allowed.
        await With(production, TokenIssuer.Issue(Options(), "1", Roles.Admin, now).Token).Get("/api/users/1").ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Production_has_no_token_endpoint_and_no_swagger_unless_enabled()
    {
        await using var production = Production();
        var admin = With(production, TokenIssuer.Issue(Options(), "1", Roles.Admin, DateTimeOffset.UtcNow).Token);
        await admin.Post("/api/dev/token", new { userId = 1, role = "admin" }).ShouldBeProblem(HttpStatusCode.NotFound);
        await admin.Get("/swagger/v1/swagger.json").ShouldBeProblem(HttpStatusCode.NotFound);

        await using var documented = Production(new() { ["Swagger:Enabled"] = "true" });
        await documented.CreateClient().Get("/swagger/v1/swagger.json").ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Production_metrics_without_a_management_port_need_an_admin()
    {
        await using var production = Production();
        await production.CreateClient().Get("/metrics").ShouldBeProblem(HttpStatusCode.Unauthorized);
        await With(production, TokenIssuer.Issue(Options(), "2", Roles.Customer, DateTimeOffset.UtcNow).Token).Get("/metrics")
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        using var response = await With(production, TokenIssuer.Issue(Options(), "1", Roles.Admin, DateTimeOffset.UtcNow).Token).Get("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static string Sign(string algorithm, DateTimeOffset now) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "shop",
        Audience = "shop-api",
        Subject = new ClaimsIdentity([new Claim("sub", "1"), new Claim("role", Roles.Admin)]),
        Expires = now.AddMinutes(10).UtcDateTime,
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Key)), algorithm),
    });

    private static string Unsigned(DateTimeOffset now)
    {
        static string B64(string json) => Base64UrlEncoder.Encode(json);
        var payload = $$"""{"iss":"shop","aud":"shop-api","sub":"1","role":"admin","exp":{{now.AddMinutes(10).ToUnixTimeSeconds()}}}""";
        return $"{B64("""{"alg":"none","typ":"JWT"}""")}.{B64(payload)}.";
    }
}
