using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Shop.Application.Abstractions;
using Shop.Domain.Products;

namespace Shop.Application.Products;

/// <summary>
/// The one product-page projection used by every reader, so all of them run the same single statement:
/// the category join plus two correlated aggregates over reviews (served by ix_reviews_product_id_rating).
/// </summary>
public static class ProductPages
{
    /// <summary>Filter on the entity first (an index seek), then project.</summary>
    public static IQueryable<ProductPageDto> Where(IShopDbContext db, Expression<Func<Product, bool>> predicate) =>
        db.Products.AsNoTracking().Where(predicate).Select(p => new ProductPageDto(
            p.Id,
            p.Sku,
            p.Name,
            p.Description,
            p.Price,
            p.Currency,
            p.CategoryId,
            p.Category!.Name,
            new RatingDto(
                Math.Round(db.Reviews.Where(r => r.ProductId == p.Id).Average(r => (decimal?)r.Rating) ?? 0m, 2),
                db.Reviews.Count(r => r.ProductId == p.Id)),
            p.UpdatedAt));

    /// <summary>
    /// One product page by id, or null: the statement of <see cref="Where"/> with <c>p.Id == id</c>, as a compiled query.
    /// A LINQ query builds its expression tree on every call, and EF Core walks and hashes it to find its cached plan
    /// (tens of microseconds and kilobytes per read, more than the database's own work on a prepared statement); a
    /// compiled query translates once and only binds the id. The projection must stay the same as in <see cref="Where"/>
    /// (ProductReadTests checks this one's pages against SQL, the batch's fields too).
    /// </summary>
    public static Task<ProductPageDto?> ByIdAsync(IShopDbContext db, int id, CancellationToken cancellationToken) =>
        CompiledById(db.Products.GetService<ICurrentDbContext>().Context, id, cancellationToken);

    // Over DbContext, not Shop's context type, which this layer does not know; there is one context type.
    private static readonly Func<DbContext, int, CancellationToken, Task<ProductPageDto?>> CompiledById =
        EF.CompileAsyncQuery((DbContext db, int id, CancellationToken _) =>
            db.Set<Product>().AsNoTracking().Where(p => p.Id == id).Select(p => new ProductPageDto(
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
                p.UpdatedAt)).FirstOrDefault());
}
