using System.Globalization;
using System.Security.Claims;
using Shop.Application.Abstractions;

namespace Shop.Api.Security;

/// <summary>Reads the caller from the JWT principal: the user id from <c>sub</c>, the role from <c>role</c>.</summary>
internal sealed class CurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public int? UserId =>
        int.TryParse(Principal?.FindFirstValue(ClaimTypes.NameIdentifier) ?? Principal?.FindFirstValue("sub"),
            NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public bool IsAdmin => Principal?.IsInRole(Roles.Admin) == true;
}
