using Mediator;
using Shop.Application.Caching;

namespace Shop.Application.Products.GetProductPricing;

public sealed record GetProductPricingQuery(int ProductId) : IQuery<ProductPricingDto>, ICacheableQuery
{
    public CacheKey CacheKey => CacheKeys.Pricing(ProductId);
}
