using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Products.CreateProduct;

/// <summary>Creates a product; its category's listing pages (and any cached "absent" for the new id) are invalidated.</summary>
public sealed record CreateProductCommand(string Sku, string Name, string? Description, decimal Price, string Currency, int CategoryId)
    : ICommand<ProductPageDto>, IAdminRequest, IInvalidatesCache<ProductPageDto>
{
    public CacheInvalidation InvalidationFor(ProductPageDto response) => CacheKeys.ProductChanged(response.Id, response.CategoryId);
}
