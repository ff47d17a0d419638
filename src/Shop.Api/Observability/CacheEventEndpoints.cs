using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Security;
using Shop.Infrastructure.Caching;
using Shop.Infrastructure.Observability;

namespace Shop.Api.Observability;

/// <summary>
/// <c>GET /api/cache/events</c> (admin): the live event view behind the /cache page, read from this instance's
/// <see cref="CacheEventLog"/> (the last 512 cache events: keys and outcomes, never values). Polling with
/// <c>after</c> = the previous answer's <c>last</c> gives each event once; <c>key</c> keeps events whose key contains it.
/// Polling rather than server-sent events: a browser's EventSource cannot send the Authorization header the admin
/// check needs, and a poll every second is as live as a learner needs.
/// </summary>
internal static class CacheEventEndpoints
{
    private const int MaxKeyFilterLength = 200;

    public static void MapCacheEventEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/cache/events", Results<Ok<CacheEventsResponse>, ValidationProblem> (
                    ShopMetrics metrics, CacheInstance instance, long? after, string? key, int? limit) =>
                {
                    var errors = new Dictionary<string, string[]>();
                    if (after < 0) errors["after"] = ["must be 0 or more"];
                    if (key?.Length > MaxKeyFilterLength) errors["key"] = [$"must be at most {MaxKeyFilterLength} characters"];
                    if (limit is < 1 or > CacheEventLog.Capacity) errors["limit"] = [$"must be between 1 and {CacheEventLog.Capacity}"];
                    if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
                    var (events, last, missed) = metrics.Events.Read(after ?? 0, key, limit ?? CacheEventLog.Capacity);
                    return TypedResults.Ok(new CacheEventsResponse(instance.Id, CacheEventLog.Capacity, last, missed, events));
                })
            .WithTags("Cache")
            .WithName("GetCacheEvents")
            .WithSummary("Live cache events (admin): this instance's last 512 cache events (time, key, level, outcome, load duration), after a sequence number, filtered by key.")
            .ForAdmins();
}
