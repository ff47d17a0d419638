using System.Globalization;
using Microsoft.AspNetCore.Authorization;

namespace Shop.Api.Security;

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
