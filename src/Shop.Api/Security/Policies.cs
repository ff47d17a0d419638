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
