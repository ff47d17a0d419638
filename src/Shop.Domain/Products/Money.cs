using Shop.Domain.Common;

namespace Shop.Domain.Products;

public static class Money
{
    public const decimal MaxPrice = 1_000_000m;

    /// <summary>Price rule shared by the validator and the entity: &gt; 0, &lt;= 1,000,000, at most two decimals.</summary>
    public static bool IsValidPrice(decimal price) =>
        price > 0 && price <= MaxPrice && decimal.Round(price, 2) == price;

    public static decimal EnsureValidPrice(decimal price) =>
        IsValidPrice(price) ? price : throw new DomainException($"Price {price} must be > 0, <= {MaxPrice} and have at most 2 decimals.");
}
