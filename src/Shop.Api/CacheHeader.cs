using System.Globalization;
using Shop.Application.Abstractions;

namespace Shop.Api;

/// <summary>
/// Adds <c>X-Cache: L1 | L2 | MISS | STALE</c> (STALE with an <c>Age</c> header: PostgreSQL failed or was slow and a copy
/// past its TTL answered, see CacheAside) to every response that went through a cached query, so a learner can
/// watch cache-aside work from Swagger UI, curl or the .http files. Set when the response starts, because the
/// outcome is known only after the mediator pipeline ran. An endpoint that sends no cached query opts out with
/// <see cref="WithoutCacheHeader{TBuilder}"/> and never registers the callback: the health probes (which then do not even
/// create the request's DI scope, about 1 KB per probe) and the writes whose handlers read nothing through the cache. A
/// write that does (a page view checks the product exists through the cache) keeps the header.
/// </summary>
internal static class CacheHeader
{
    public const string Name = "X-Cache";

    /// <summary>Endpoint metadata: this endpoint runs no cached query, so it never has an X-Cache header.</summary>
    private sealed class Without;

    public static TBuilder WithoutCacheHeader<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Without());

    public static IApplicationBuilder UseCacheHeader(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<Without>() is not null) return next(context);
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                if (http.RequestServices.GetService<CacheTrace>() is { Outcome: { } outcome } trace)
                {
                    http.Response.Headers[Name] = outcome switch { CacheOutcome.Miss => "MISS", CacheOutcome.Stale => "STALE", _ => outcome.ToString() };
                    // RFC 9111 Age: seconds since the stale value was loaded from PostgreSQL.
                    if (trace.Age is { } age) http.Response.Headers.Age = ((long)age.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
