using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Api.Security;

/// <summary>
/// JWT bearer authentication and the authorization policies. Guarantees: the accepted algorithms are pinned (HS256
/// for a signing key, RS256/ES256 for an Authority), issuer, audience, lifetime and signature are always validated,
/// and every endpoint needs an authenticated caller unless it opts out with AllowAnonymous (the fallback policy).
/// It does not decide whether the configuration is safe: <see cref="StartupSafety"/> does, before the host is built.
/// </summary>
internal static class AuthenticationSetup
{
    public static IServiceCollection AddShopAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AuthOptions.Section);
        services.Configure<AuthOptions>(section);
        var options = section.Get<AuthOptions>() ?? new AuthOptions();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ValidAudience = options.Audience,
                    NameClaimType = "sub",
                    RoleClaimType = "role",
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                if (!string.IsNullOrEmpty(options.Authority))
                {
                    // Issuer and keys from the discovery document; asymmetric algorithms only, so a token signed
                    // with a symmetric key (or "none") is refused even if the provider published such a key.
                    jwt.Authority = options.Authority;
                    jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
                    jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];
                }
                else if (!string.IsNullOrEmpty(options.SigningKey))
                {
                    jwt.TokenValidationParameters.ValidIssuer = options.Issuer;
                    jwt.TokenValidationParameters.IssuerSigningKey = SigningKey(options.SigningKey);
                    jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                }
                // Neither: no token validates (every protected call is a 401). Outside Development the host never
                // gets here: StartupSafety refuses to start without one of them.
            });

        services.AddAuthorizationBuilder()
            // A new endpoint without a policy is closed, not open: public reads say AllowAnonymous explicitly.
            .SetFallbackPolicy(Policies.Authenticated)
            .AddPolicy(Policies.Admin, Policies.AdminPolicy)
            .AddPolicy(Policies.SelfOrAdmin, Policies.SelfOrAdminPolicy);
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, SelfOrAdminHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider, EndpointFallbackPolicyProvider>();
        services.AddHttpContextAccessor();
        return services;
    }

    public static SymmetricSecurityKey SigningKey(string secret) => new(Encoding.UTF8.GetBytes(secret));
}
