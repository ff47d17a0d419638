using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Products.ChangeProductPrice;

/// <summary>Changes a price; its product page, pricing and category listing pages are invalidated after the commit.</summary>
public sealed record ChangeProductPriceCommand(int ProductId, decimal Price)
    : ICommand<ProductPageDto>, IAdminRequest, IInvalidatesCache<ProductPageDto>
{
    public CacheInvalidation InvalidationFor(ProductPageDto response) => CacheKeys.ProductChanged(response.Id, response.CategoryId);
}
