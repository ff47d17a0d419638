using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Shop.Application.Abstractions;
using Shop.Domain.Products;

namespace Shop.Application.Products;

/// <summary>
/// The one product-page projection used by every reader, so all of them run the same single statement:
/// the category join plus two correlated aggregates over reviews (served by ix_reviews_product_id_rating).
/// It is an EF Core compiled query: a LINQ query builds its expression tree on every call, and EF Core walks and hashes
/// it to find its cached plan (tens of microseconds and kilobytes per read, more than the database's own work on a
/// prepared statement); a compiled query translates once and only binds the ids (<c>id = ANY(@ids)</c>, an index seek
/// for one id or a hundred).
/// </summary>
public static class ProductPages
{
    /// <summary>One product page by id, or null.</summary>
    public static async Task<ProductPageDto?> ByIdAsync(IShopDbContext db, int id, CancellationToken cancellationToken)
    {
        await foreach (var page in ByIds(db, [id]).WithCancellation(cancellationToken))
            return page;
        return null;
    }

    /// <summary>The pages of the ids that exist, in no particular order.</summary>
    public static IAsyncEnumerable<ProductPageDto> ByIds(IShopDbContext db, int[] ids) =>
        Compiled(db.Products.GetService<ICurrentDbContext>().Context, ids);

    // Over DbContext, not Shop's context type, which this layer does not know; there is one context type.
    private static readonly Func<DbContext, int[], IAsyncEnumerable<ProductPageDto>> Compiled =
        EF.CompileAsyncQuery((DbContext db, int[] ids) =>
            db.Set<Product>().AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new ProductPageDto(
                p.Id,
                p.Sku,
                p.Name,
                p.Description,
                p.Price,
                p.Currency,
                p.CategoryId,
                p.Category!.Name,
                new RatingDto(
                    Math.Round(db.Set<Review>().Where(r => r.ProductId == p.Id).Average(r => (decimal?)r.Rating) ?? 0m, 2),
                    db.Set<Review>().Count(r => r.ProductId == p.Id)),
                p.UpdatedAt)));
}
