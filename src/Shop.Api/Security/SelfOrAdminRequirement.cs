using Microsoft.AspNetCore.Authorization;

namespace Shop.Api.Security;

/// <summary>The route's <c>{id}</c> must be the caller's <c>sub</c>, unless the caller is an admin.</summary>
public sealed class SelfOrAdminRequirement : IAuthorizationRequirement
{
    public const string RouteValue = "id";
}
