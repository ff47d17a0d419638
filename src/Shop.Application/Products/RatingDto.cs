namespace Shop.Application.Products;

public sealed record RatingDto(decimal Average, int Count);
