using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Shop.Api;

/// <summary>
/// Rate limit of POST /api/products/{id}/views, so that one client cannot inflate a product's count cheaply: a fixed
/// window per client, the client being the JWT subject when there is one, else the remote IP address. Over the limit:
/// 429 ProblemDetails with Retry-After, and nothing is counted (the limiter runs before the endpoint).
/// Per instance: with N instances behind a balancer a client gets up to N × PermitLimit. Behind a reverse proxy the
/// remote address is the proxy's unless forwarded headers are applied first.
/// </summary>
internal static class PageViewRateLimiting
{
    public const string Policy = "page-views";

    public static IServiceCollection AddPageViewRateLimiter(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PageViewRateLimitOptions>(configuration.GetSection(PageViewRateLimitOptions.Section));
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<PageViewRateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(ClientOf(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = options.Window,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many page views from this client.",
                        Detail = "The view was not counted. Retry after the time in the Retry-After header.",
                    },
                });
            };
        });
        return services;
    }

    private static string ClientOf(HttpContext context) =>
        context.User.FindFirstValue("sub") is { Length: > 0 } subject
            ? "user:" + subject
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
