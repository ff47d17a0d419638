using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Api.Security;

internal static class AuthenticationSetup
{
    public static IServiceCollection AddShopAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
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
                    ValidIssuer = options.Issuer,
                    ValidAudience = options.Audience,
                    NameClaimType = "sub",
                    RoleClaimType = "role",
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                if (!string.IsNullOrEmpty(options.Authority))
                {
                    jwt.Authority = options.Authority;
                }
                else if (!string.IsNullOrEmpty(options.SigningKey) && environment.IsDevelopment())
                {
                    jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey));
                }
                else
                {
                    throw new InvalidOperationException(
                        "Set Auth:Authority (an OpenID Connect issuer). Auth:SigningKey is accepted only in Development.");
                }
            });
        services.AddAuthorization();
        services.AddHttpContextAccessor();
        return services;
    }
}
