using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Shop.Api.RateLimiting;

/// <summary>
/// Applies X-Forwarded-For / X-Forwarded-Proto only from proxies named in <c>Api:ForwardedHeaders</c>
/// (<c>KnownProxies</c>: addresses, <c>KnownNetworks</c>: CIDR ranges, <c>ForwardLimit</c>: proxies in the chain,
/// default 1). None is trusted by default, not even loopback (ASP.NET Core's default), so a client that sends
/// X-Forwarded-For itself is still keyed by its own socket address. Behind a reverse proxy, name it here, or every
/// client shares the proxy's address and one rate-limit bucket.
/// </summary>
internal static class ProxyForwardedHeaders
{
    public const string Section = "Api:ForwardedHeaders";

    public static IServiceCollection AddProxyForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardLimit = section.GetValue("ForwardLimit", 1);
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in section.GetSection("KnownProxies").Get<string[]>() ?? [])
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in section.GetSection("KnownNetworks").Get<string[]>() ?? [])
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            // Careful: with both lists empty the middleware trusts EVERY peer, so with no proxy named it must do nothing.
            options.ForwardedHeaders = options.KnownProxies.Count + options.KnownIPNetworks.Count > 0
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                : ForwardedHeaders.None;
        });
        return services;
    }
}
