namespace Shop.Domain.Products;

public sealed class Review
{
    public const int MinRating = 1;
    public const int MaxRating = 5;

    public long Id { get; init; }
    public int ProductId { get; init; }
    public int UserId { get; init; }
    public short Rating { get; init; }
    public string Text { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}
