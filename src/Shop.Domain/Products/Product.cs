using Shop.Domain.Common;

namespace Shop.Domain.Products;

public sealed class Product
{
    public const int MaxNameLength = 200;
    public const int MaxSkuLength = 64;
    public const int MaxDescriptionLength = 4000;

    private Product() { }

    public int Id { get; private set; }
    public string Sku { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string Description { get; private set; } = "";
    public decimal Price { get; private set; }
    public string Currency { get; private set; } = "EUR";
    public int CategoryId { get; private set; }
    public Category? Category { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency token, bumped on every change; caches store it to order competing writes.</summary>
    public long Version { get; private set; }

    public static Product Create(string sku, string name, string description, decimal price, string currency, int categoryId, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(sku) || sku.Length > MaxSkuLength) throw new DomainException("Invalid SKU.");
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength) throw new DomainException("Invalid name.");
        return new Product
        {
            Sku = sku,
            Name = name,
            Description = description,
            Price = Money.EnsureValidPrice(price),
            Currency = currency,
            CategoryId = categoryId,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
    }

    public void ChangePrice(decimal price, DateTimeOffset now)
    {
        Price = Money.EnsureValidPrice(price);
        UpdatedAt = now;
        Version++;
    }
}
