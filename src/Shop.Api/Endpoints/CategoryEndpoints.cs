using Mediator;
using Shop.Api.Security;
using Shop.Application.Categories.ListCategoryProducts;

namespace Shop.Api.Endpoints;

internal static class CategoryEndpoints
{
    public static void MapCategoryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/categories").WithTags("Categories")
            .MapGet("/{id:int}/products", async (int id, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListCategoryProductsQuery(id, page ?? 1, pageSize ?? 20), ct)))
            .WithName("ListCategoryProducts")
            .WithSummary("One page of a category's products (page 1 to 1000, pageSize 10, 20, 50 or 100).")
            .Public()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
