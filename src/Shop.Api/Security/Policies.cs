using System.Globalization;
using Microsoft.AspNetCore.Authorization;

namespace Shop.Api.Security;

/// <summary>
/// Authorization at the edge: the authorization middleware evaluates these before the endpoint binds or validates its
/// body, so a caller without the right gets 401/403 whatever the request contains. The mediator's
/// AuthorizationBehaviour checks the same rules again on the request object (defence in depth: a route that forgets
/// its policy is still refused, and a handler called from elsewhere is still protected).
/// </summary>
public static class Policies
{
    /// <summary>Any valid token: the fallback for every endpoint that neither names a policy nor allows anonymous callers.</summary>
    public static readonly AuthorizationPolicy Authenticated = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();

    /// <summary>Callers with role admin.</summary>
    public const string Admin = "admin";

    /// <summary>For routes /api/users/{id}/...: the user whose id is in the route, or an admin.</summary>
    public const string SelfOrAdmin = "self-or-admin";

    internal static void AdminPolicy(AuthorizationPolicyBuilder policy) =>
        policy.RequireAuthenticatedUser().RequireRole(Roles.Admin);

    internal static void SelfOrAdminPolicy(AuthorizationPolicyBuilder policy) =>
        policy.RequireAuthenticatedUser().AddRequirements(new SelfOrAdminRequirement());
}

/// <summary>The route's <c>{id}</c> must be the caller's <c>sub</c>, unless the caller is an admin.</summary>
public sealed class SelfOrAdminRequirement : IAuthorizationRequirement
{
    public const string RouteValue = "id";
}

internal sealed class SelfOrAdminHandler : AuthorizationHandler<SelfOrAdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SelfOrAdminRequirement requirement)
    {
        if (context.User.IsInRole(Roles.Admin))
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http
            && http.Request.RouteValues.TryGetValue(SelfOrAdminRequirement.RouteValue, out var routeId)
            && Convert.ToString(routeId, CultureInfo.InvariantCulture) is { } id
            && context.User.FindFirst("sub")?.Value is { } sub
            && string.Equals(id, sub, StringComparison.Ordinal))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Applies the fallback policy to every endpoint that states no policy, but not to a request that matched no endpoint
/// at all: an unknown URL stays a 404 (the stock behaviour would answer 401 to anonymous callers, telling them
/// nothing useful and hiding real 404s from every client).
/// </summary>
internal sealed class EndpointFallbackPolicyProvider(
    Microsoft.Extensions.Options.IOptions<AuthorizationOptions> options, IHttpContextAccessor accessor) : IAuthorizationPolicyProvider
{
    private readonly DefaultAuthorizationPolicyProvider _inner = new(options);

    public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() =>
        accessor.HttpContext?.GetEndpoint() is null ? Task.FromResult<AuthorizationPolicy?>(null) : _inner.GetFallbackPolicyAsync();

    public Task<AuthorizationPolicy> GetDefaultPolicyAsync() => _inner.GetDefaultPolicyAsync();

    public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) => _inner.GetPolicyAsync(policyName);
}
