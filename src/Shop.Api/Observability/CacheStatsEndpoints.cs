using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Security;
using Shop.Infrastructure.Observability;

namespace Shop.Api.Observability;

/// <summary>
/// <c>GET /api/cache/stats</c> (admin): this instance's hit rates per level since start and over the last minute,
/// and Redis's INFO and SLOWLOG per primary node. <c>GET /cache</c>: a page that polls it and charts hit rate and
/// latency, for a learner to keep open while sending requests. Operational endpoints that read the cache machinery
/// itself (like /health), so they live here rather than in Endpoints/, which reaches the application only through
/// the mediator.
/// </summary>
internal static class CacheStatsEndpoints
{
    public const string PagePath = "/cache";
    private const string PageResource = "Shop.Api.Observability.cache-page.html";
    private static readonly Lazy<string> Page = new(LoadPage);

    public static void MapCacheStatsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cache/stats", async Task<Ok<CacheStatsReport>> (CacheStatsReader reader, CancellationToken ct) =>
                TypedResults.Ok(await reader.ReadAsync(ct)))
            .WithTags("Cache")
            .WithName("GetCacheStats")
            .WithSummary("Cache statistics (admin): this instance's hit rates per level (since start, last minute, per second) and each Redis primary's INFO figures and latest SLOWLOG entries.")
            .ForAdmins();

        // The page itself holds no data: its script calls /api/cache/stats with a token (a development token when
        // POST /api/dev/token exists, else one pasted into the page).
        app.MapGet(PagePath, () => Results.Content(Page.Value, "text/html; charset=utf-8"))
            .ExcludeFromDescription()
            .AllowAnonymous();
    }

    private static string LoadPage()
    {
        using var stream = typeof(CacheStatsEndpoints).Assembly.GetManifestResourceStream(PageResource)
            ?? throw new InvalidOperationException($"Embedded resource {PageResource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
