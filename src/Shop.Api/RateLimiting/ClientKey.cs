using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace Shop.Api.RateLimiting;

/// <summary>
/// Who a request comes from, for rate limiting: the token's subject when the caller is authenticated (a user keeps
/// one budget across addresses), else the client address. The address is the socket's, or the one a trusted proxy
/// forwarded (<see cref="ProxyForwardedHeaders"/>): an X-Forwarded-For from anyone else is ignored, so it cannot
/// be used to pick a fresh bucket. An IPv6 client is keyed by its /64, since one host usually holds a whole /64.
/// </summary>
internal static class ClientKey
{
    public static string Of(HttpContext context) =>
        // The authenticated user, read where authentication put it: HttpContext.User would build an empty principal for
        // every anonymous request just to say it is not authenticated.
        context.Features.Get<IHttpAuthenticationFeature>()?.User is { Identity.IsAuthenticated: true } user
        && user.FindFirstValue("sub") is { Length: > 0 } subject
            ? "user:" + subject
            : "ip:" + Address(context.Connection.RemoteIpAddress);

    public static string Address(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
