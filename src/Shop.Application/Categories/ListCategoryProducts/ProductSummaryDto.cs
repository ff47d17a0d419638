namespace Shop.Application.Categories.ListCategoryProducts;

public sealed record ProductSummaryDto(int Id, string Sku, string Name, decimal Price, string Currency, DateTimeOffset UpdatedAt);
