using Microsoft.AspNetCore.Authorization;
using Microsoft.Net.Http.Headers;

namespace Shop.Api.Security;

/// <summary>
/// The authentication and authorization middleware, each skipped where it cannot change the answer. An anonymous read
/// (the hot path: product pages, health probes) paid for both on every request, for nothing: a bearer handler with its
/// contexts, and the authorization service's transient object graph, about 1 KB and a tenth of the CPU of a request.
/// <list type="bullet">
/// <item>Authentication runs for requests that carry an Authorization header. The bearer handler reads the token from
/// that header only (no MessageReceived event takes one from elsewhere), so without one its answer is always "no
/// result" and the caller is anonymous either way. With a header, even an empty or malformed one, it runs as before.</item>
/// <item>Authorization runs unless the endpoint allows anonymous callers and states no policy: for such an endpoint the
/// middleware only passes the request on (it never challenges or forbids there). Every other endpoint, one that matched
/// nothing, and the fallback policy for endpoints that state nothing are evaluated as before.</item>
/// </list>
/// Does not: change who may call what (EdgeAuthorizationTests, ProductionTokenTests). Read a token from anywhere else
/// (a query string for WebSockets, a cookie) and the authentication condition must say so.
/// </summary>
internal static class AnonymousRequests
{
    // WebApplication adds UseAuthentication()/UseAuthorization() to the start of the pipeline by itself unless these keys
    // are set on the app, which those calls do only on the branch they are made on.
    private const string AuthenticationSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationSetKey = "__AuthorizationMiddlewareSet";

    public static IApplicationBuilder UseShopAuthentication(this IApplicationBuilder app)
    {
        app.UseWhen(static context => context.Request.Headers.ContainsKey(HeaderNames.Authorization), branch => branch.UseAuthentication());
        app.Properties[AuthenticationSetKey] = true;
        return app;
    }

    public static IApplicationBuilder UseShopAuthorization(this IApplicationBuilder app)
    {
        app.UseWhen(static context => !IsOpen(context.GetEndpoint()), branch => branch.UseAuthorization());
        app.Properties[AuthorizationSetKey] = true;
        return app;
    }

    /// <summary>AllowAnonymous and no authorization metadata of its own (which the endpoint middleware would insist on).</summary>
    private static bool IsOpen(Endpoint? endpoint) =>
        endpoint is not null
        && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
        && endpoint.Metadata.GetMetadata<IAuthorizeData>() is null
        && endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is null;
}
