using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Products.GetProductPricing;

public sealed record GetProductPricingQuery(int ProductId) : IQuery<ProductPricingDto>, IPublicRequest, ICacheableQuery
{
    public CacheKey CacheKey => CacheKeys.Pricing(ProductId);
}
