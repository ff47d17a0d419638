namespace Shop.Api.Security;

/// <summary>The <c>Auth</c> section. Use <see cref="Authority"/> (an OpenID Connect issuer) in production;
/// <see cref="SigningKey"/> is for Development, where the dev token endpoint signs with it.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "shop-dev";
    public string Audience { get; set; } = "shop-api";
    public string? Authority { get; set; }
    public string? SigningKey { get; set; }
    public int TokenLifetimeMinutes { get; set; } = 480;
}
