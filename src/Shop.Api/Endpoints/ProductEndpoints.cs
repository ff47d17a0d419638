using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Security;
using Shop.Application.Products;
using Shop.Application.Products.ChangeProductPrice;
using Shop.Application.Products.CreateProduct;
using Shop.Application.Products.GetProduct;
using Shop.Application.Products.GetProductPricing;
using Shop.Application.Products.GetProducts;

namespace Shop.Api.Endpoints;

internal static class ProductEndpoints
{
    public sealed record ChangePriceRequest(decimal Price);

    public static void MapProductEndpoints(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/products").WithTags("Products");

        // The hottest route: an L1 hit writes the page's remembered JSON bytes (CachedJson).
        products.MapGet("/{id:int}", async (int id, IMediator mediator, CancellationToken ct) =>
                new CachedJson<ProductPageDto>(await mediator.Send(new GetProductQuery(id), ct)))
            .WithName("GetProduct")
            .WithSummary("A product page: product, category name and review summary.")
            .Public()
            .ProducesProblem(StatusCodes.Status404NotFound);

        products.MapGet("/", async (string? ids, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetProductsQuery(ParseIds(ids)), ct)))
            .WithName("GetProducts")
            .Public()
            .WithSummary("Several product pages (?ids=1,2,3; 1 to 100 distinct ids), in the order asked; absent ids are left out.")
            .ProducesValidationProblem();

        products.MapGet("/{id:int}/pricing", async (int id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetProductPricingQuery(id), ct)))
            .WithName("GetProductPricing")
            .WithSummary("The price of one product.")
            .Public()
            .ProducesProblem(StatusCodes.Status404NotFound);

        products.MapPost("/", async Task<Created<ProductPageDto>> (CreateProductCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/products/{created.Id}", created);
            })
            .WithName("CreateProduct")
            .WithoutCacheHeader() // the handler reads nothing through the cache
            .WithSummary("Create a product (admin).")
            .ForAdmins()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        products.MapPut("/{id:int}/price", async (int id, ChangePriceRequest body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ChangeProductPriceCommand(id, body.Price), ct)))
            .WithName("ChangeProductPrice")
            .WithoutCacheHeader() // the handler reads nothing through the cache
            .WithSummary("Change a product's price (admin); returns the updated product page.")
            .ForAdmins()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>Parses "1,2,3"; anything that is not a list of integers is a 400 that names the bad part.</summary>
    private static int[] ParseIds(string? ids)
    {
        if (string.IsNullOrWhiteSpace(ids)) return [];
        var parts = ids.Split(',', StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result[i]))
                throw new ValidationException([new ValidationFailure("ids", $"'{parts[i]}' is not an integer id.")]);
        }
        return result;
    }
}
