using Mediator;

namespace Shop.Application.Products.GetProductPricing;

public sealed record ProductPricingDto(int ProductId, decimal Price, string Currency, DateTimeOffset UpdatedAt);

public sealed record GetProductPricingQuery(int ProductId) : IQuery<ProductPricingDto>;
