using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Api.Security;

/// <summary>
/// Signs a JWT with <see cref="AuthOptions.SigningKey"/> (HS256): <c>sub</c> is the Shop user id (users.id) the token
/// speaks for, <c>role</c> is admin or customer, <c>iss</c>/<c>aud</c> are the configured ones. Used by the
/// Development token endpoint and by the <c>mint-token</c> command; the app validates exactly these claims.
/// </summary>
public static class TokenIssuer
{
    public static (string Token, DateTimeOffset Expires) Issue(AuthOptions options, string subject, string role, DateTimeOffset now, TimeSpan? lifetime = null)
    {
        if (string.IsNullOrEmpty(options.SigningKey)) throw new InvalidOperationException("Auth:SigningKey is not set.");
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(options.TokenLifetimeMinutes));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
            NotBefore = now.UtcDateTime,
            IssuedAt = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(AuthenticationSetup.SigningKey(options.SigningKey), SecurityAlgorithms.HmacSha256),
        };
        return (new JsonWebTokenHandler().CreateToken(descriptor), expires);
    }
}
