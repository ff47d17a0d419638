using Shop.Application.Categories.ListCategoryProducts;
using Shop.Application.Common;
using Shop.Application.Products;
using Shop.Application.Users;

namespace Shop.Benchmarks;

/// <summary>
/// The cached shapes, filled like the large seed fills them (DatabaseSeeder: names, SKUs, descriptions, prices), so the
/// byte counts match what Redis holds for the API.
/// </summary>
public static class Payloads
{
    private static readonly DateTimeOffset Updated = new(2025, 1, 1, 0, 42, 0, TimeSpan.Zero);

    public static readonly ProductPageDto Product = Page(42);

    /// <summary>One category listing page of 20 (the default page size).</summary>
    public static readonly PagedList<ProductSummaryDto> Listing20 = new(
        [.. Enumerable.Range(0, 20).Select(i => Summary(3 + (i * 200)))], Page: 1, PageSize: 20, Total: 500);

    /// <summary>A user overview is cached as its two parts (profile and preferences), read together with one MGET.</summary>
    public static readonly UserProfileDto Profile = new(7, "User 7", "user7@shop.example", "Pro", 3);

    public static readonly UserPreferencesDto Preferences = new(7, "EUR", "de", MarketingEmails: false, Version: 2);

    public static ProductPageDto Page(int id)
    {
        var name = $"Smart Kettle {id}";
        return new ProductPageDto(id, $"SKU-{id:000000}", name, $"{name}: a dependable product for everyday use, with a two-year warranty.",
            249.99m, "EUR", 1 + ((id - 1) % 200), $"Category {1 + ((id - 1) % 200):000}", new RatingDto(3.4m, 10), Updated.AddMinutes(id));
    }

    private static ProductSummaryDto Summary(int id) =>
        new(id, $"SKU-{id:000000}", $"Classic Lamp {id}", 19.5m + id % 100, "USD", Updated.AddMinutes(id));
}
