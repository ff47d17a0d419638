using Mediator;
using Shop.Application.Common;
using Shop.Application.Caching;

namespace Shop.Application.Products.GetProductPricing;

public sealed record ProductPricingDto(int ProductId, decimal Price, string Currency, DateTimeOffset UpdatedAt);

public sealed record GetProductPricingQuery(int ProductId) : IQuery<ProductPricingDto>, IPublicRequest, ICacheableQuery
{
    public CacheKey CacheKey => CacheKeys.Pricing(ProductId);
}
