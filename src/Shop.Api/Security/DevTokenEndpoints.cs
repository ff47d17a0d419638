using System.Globalization;
using Microsoft.Extensions.Options;

namespace Shop.Api.Security;

/// <summary>
/// Development only: issues a signed JWT for any user id and role, so Swagger UI, the .http files and the
/// tests get a token in one step. Never mapped outside the Development environment.
/// </summary>
internal static class DevTokenEndpoints
{
    public sealed record DevTokenRequest(int UserId, string Role);

    public sealed record DevTokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

    public static void MapDevTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/dev/token", (DevTokenRequest request, IOptions<AuthOptions> options, TimeProvider clock) =>
        {
            if (request.UserId <= 0 || !Roles.All.Contains(request.Role))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["token"] = [$"userId must be > 0 and role one of: {string.Join(", ", Roles.All)}."],
                });
            }
            var (token, expires) = Issue(options.Value, request.UserId, request.Role, clock.GetUtcNow());
            return Results.Ok(new DevTokenResponse(token, expires));
        })
        .WithTags("Development")
        .WithSummary("Issue a development JWT (Development environment only).")
        .WithName("IssueDevToken")
        .Produces<DevTokenResponse>()
        .ProducesValidationProblem()
        .AllowAnonymous();
    }

    public static (string Token, DateTimeOffset Expires) Issue(AuthOptions options, int userId, string role, DateTimeOffset now) =>
        TokenIssuer.Issue(options, userId.ToString(CultureInfo.InvariantCulture), role, now);
}
