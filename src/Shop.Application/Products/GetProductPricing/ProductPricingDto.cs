namespace Shop.Application.Products.GetProductPricing;

public sealed record ProductPricingDto(int ProductId, decimal Price, string Currency, DateTimeOffset UpdatedAt);
