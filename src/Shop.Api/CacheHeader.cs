using System.Globalization;
using Shop.Application.Abstractions;

namespace Shop.Api;

/// <summary>
/// Adds <c>X-Cache: L1 | L2 | MISS | STALE</c> (STALE with an <c>Age</c> header: PostgreSQL failed or was slow and a copy
/// past its TTL answered, see CacheAside) to every response that went through a cached query, so a learner can
/// watch cache-aside work from Swagger UI, curl or the .http files. Set when the response starts, because the
/// outcome is known only after the mediator pipeline ran. Only reads (GET, HEAD) can have an outcome: writes send
/// commands, which no cache behaviour reads for, so they skip the callback. A read endpoint that never sends a query (the
/// health probes) opts out with <see cref="WithoutCacheHeader{TBuilder}"/>: it then neither registers the callback nor
/// creates the request's DI scope just to find no outcome there (about 1 KB per probe).
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
            if (!(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                || context.GetEndpoint()?.Metadata.GetMetadata<Without>() is not null) return next(context);
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
