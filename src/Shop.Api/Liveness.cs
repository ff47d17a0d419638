namespace Shop.Api;

/// <summary>
/// <c>/health/live</c>: "is this process serving HTTP?", the answer the health-check service gave for it (no check runs
/// for liveness: a dead database must not get a live process restarted). Same response as before, byte for byte:
/// 200, <c>text/plain</c>, body <c>Healthy</c>, the no-cache headers of the health-check middleware, any HTTP method.
/// Written directly because the probe is hit often and the service built a report, a dictionary of zero entries, a
/// stopwatch and an async state machine per call to say the same word. Readiness (<c>/health/ready</c>) runs real
/// checks and stays on the health-check service. Still goes through the whole pipeline (rate limits, timeouts, metrics).
/// </summary>
internal static class Liveness
{
    private static readonly byte[] Body = "Healthy"u8.ToArray();

    public static IEndpointConventionBuilder MapLiveness(this IEndpointRouteBuilder app, string pattern) =>
        app.Map(pattern, static context =>
        {
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/plain";
            // What HealthCheckMiddleware sets unless AllowCachingResponses: a probe's answer is never cached.
            response.Headers.CacheControl = "no-store, no-cache";
            response.Headers.Pragma = "no-cache";
            response.Headers.Expires = "Thu, 01 Jan 1970 00:00:00 GMT";
            response.ContentLength = Body.Length;
            return response.Body.WriteAsync(Body, 0, Body.Length);
        }).WithDisplayName("Liveness");
}
