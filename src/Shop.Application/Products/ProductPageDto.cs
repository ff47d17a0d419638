namespace Shop.Application.Products;

/// <summary>The product page: product, category name and review summary, read in one SQL statement.</summary>
public sealed record ProductPageDto(
    int Id,
    string Sku,
    string Name,
    string Description,
    decimal Price,
    string Currency,
    int CategoryId,
    string CategoryName,
    RatingDto Rating,
    DateTimeOffset UpdatedAt);

public sealed record RatingDto(decimal Average, int Count);
