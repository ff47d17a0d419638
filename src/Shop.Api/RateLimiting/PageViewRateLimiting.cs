namespace Shop.Api.RateLimiting;

/// <summary>
/// The policy on POST /api/products/{id}/views (<see cref="RateLimitingOptions.PageViews"/>), on top of the global
/// write limit, so one client cannot inflate a product's count cheaply. A refused view is not counted: the limiter
/// runs before the endpoint.
/// </summary>
internal static class PageViewRateLimiting
{
    public const string Policy = "page-views";
}
