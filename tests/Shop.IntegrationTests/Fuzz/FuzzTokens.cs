using System.Text;
using Shop.Api.Security;

namespace Shop.IntegrationTests.Fuzz;

/// <summary>
/// Every bearer token the fuzzer sends, minted in this one place so a change in how tokens are issued is adapted here.
/// </summary>
public static class FuzzTokens
{
    private const string DevKey = "development-only-signing-key-not-a-secret-0123456789";

    public static readonly string[] HostileKinds = ["none", "forged", "expired", "garbage", "alg-none", "customer"];

    /// <summary>A token of <paramref name="kind"/>: admin, customer, none (null), forged (another key), expired, garbage, alg-none.</summary>
    public static string? Create(string kind, int userId = 1)
    {
        var options = new AuthOptions { SigningKey = DevKey };
        var now = DateTimeOffset.UtcNow;
        return kind switch
        {
            "admin" => DevTokenEndpoints.Issue(options, userId, Roles.Admin, now).Token,
            "customer" => DevTokenEndpoints.Issue(options, userId, Roles.Customer, now).Token,
            "none" => null,
            "forged" => DevTokenEndpoints.Issue(new AuthOptions { SigningKey = "an-attacker-key-that-is-long-enough-0123456789" }, userId, Roles.Admin, now).Token,
            "expired" => DevTokenEndpoints.Issue(options, userId, Roles.Admin, now.AddDays(-2)).Token,
            "garbage" => "not.a.token",
            "alg-none" => Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
                          Base64Url($"{{\"sub\":\"{userId}\",\"role\":\"admin\",\"iss\":\"shop-dev\",\"aud\":\"shop-api\",\"exp\":{now.AddHours(1).ToUnixTimeSeconds()}}}") + ".",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
