using Mediator;
using Shop.Api.RateLimiting;
using Shop.Api.Security;
using Shop.Application.PageViews.GetPageViews;
using Shop.Application.PageViews.RecordPageView;

namespace Shop.Api.Endpoints;

internal static class PageViewEndpoints
{
    public static void MapPageViewEndpoints(this IEndpointRouteBuilder app)
    {
        var views = app.MapGroup("/api/products").WithTags("Page views");

        views.MapPost("/{id:int}/views", async (int id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Accepted($"/api/products/{id}/views", await mediator.Send(new RecordPageViewCommand(id), ct)))
            .WithName("RecordPageView")
            .WithSummary("Count one view of a product (write-behind: counted in Redis now, in PostgreSQL at the next flush). Rate-limited per client.")
            .Public()
            .RequireRateLimiting(PageViewRateLimiting.Policy)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        views.MapGet("/{id:int}/views", async (int id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetPageViewsQuery(id), ct)))
            .WithName("GetPageViews")
            .WithSummary("A product's views: flushed to PostgreSQL plus those still waiting in Redis.")
            .Public()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}
