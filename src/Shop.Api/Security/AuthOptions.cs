namespace Shop.Api.Security;

/// <summary>
/// The <c>Auth</c> section. Two ways to accept tokens:
/// <list type="bullet">
/// <item><see cref="Authority"/>: an OpenID Connect issuer (Keycloak, Entra ID, Auth0...). Its signing keys and issuer
/// come from its discovery document; only RS256 and ES256 are accepted.</item>
/// <item><see cref="SigningKey"/>: a shared secret of at least 256 bits (32 bytes), for teams without an identity
/// provider; tokens are minted with <c>dotnet Shop.Api.dll mint-token</c> and only HS256 is accepted. The committed
/// <see cref="DevelopmentSigningKey"/> works only in Development: the app refuses to start with it anywhere else.</item>
/// </list>
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Committed in appsettings.Development.json, hence public knowledge: never accepted outside Development.</summary>
    public const string DevelopmentSigningKey = "development-only-signing-key-not-a-secret-0123456789";

    /// <summary>256 bits: the minimum HMAC-SHA256 key size (RFC 7518 section 3.2).</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>The <c>iss</c> a signing-key token must carry (with an Authority, the discovery document's issuer is used).</summary>
    public string Issuer { get; set; } = "shop";

    /// <summary>The <c>aud</c> every token must carry.</summary>
    public string Audience { get; set; } = "shop-api";

    public string? Authority { get; set; }

    public string? SigningKey { get; set; }

    /// <summary>Lifetime of tokens minted by the dev endpoint and by <c>mint-token</c>.</summary>
    public int TokenLifetimeMinutes { get; set; } = 480;

    /// <summary>False only for a test or local Authority served over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
