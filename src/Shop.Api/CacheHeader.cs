using Shop.Application.Abstractions;

namespace Shop.Api;

/// <summary>
/// Adds <c>X-Cache: L1 | L2 | MISS</c> to every response that went through a cached query, so a learner can
/// watch cache-aside work from Swagger UI, curl or the .http files. Set when the response starts, because the
/// outcome is known only after the mediator pipeline ran.
/// </summary>
internal static class CacheHeader
{
    public const string Name = "X-Cache";

    public static IApplicationBuilder UseCacheHeader(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                if (http.RequestServices.GetService<CacheTrace>()?.Outcome is { } outcome)
                    http.Response.Headers[Name] = outcome == CacheOutcome.Miss ? "MISS" : outcome.ToString();
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
