using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Shop.Api.RateLimiting;

/// <summary>
/// Rate limits on every route, per client (<see cref="ClientKey"/>): a global fixed window for reads (GET, HEAD,
/// OPTIONS) and a stricter one for writes, applied to every endpoint without per-endpoint code, plus the page-view
/// policy on POST .../views. Over a limit: 429 ProblemDetails with Retry-After, and the request does not run.
/// Limits come from the <c>RateLimiting</c> section (<see cref="RateLimitingOptions"/>); partitions are bounded
/// (<see cref="ClientPartitions"/>). Per instance: N instances give a client up to N times each limit.
/// Runs after authentication (a user is limited by id) and before authorization, so refused 401/403 calls count too.
/// </summary>
internal static class ClientRateLimiting
{
    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RateLimitingOptions>(configuration.GetSection(RateLimitingOptions.Section));
        services.AddSingleton<ClientRateLimits>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = WriteProblemAsync;
        });
        services.AddOptions<RateLimiterOptions>().Configure<ClientRateLimits>((limiter, limits) =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsRead(context.Request.Method) ? limits.Reads.Get(ClientKey.Of(context)) : limits.Writes.Get(ClientKey.Of(context)));
            limiter.AddPolicy(PageViewRateLimiting.Policy, context => limits.PageViews.Get(ClientKey.Of(context)));
        });
        return services;
    }

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static async ValueTask WriteProblemAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests from this client.",
                Detail = $"The request was refused before it ran: it changed nothing and was not counted. Retry after {seconds} s (Retry-After).",
            },
        });
    }
}
