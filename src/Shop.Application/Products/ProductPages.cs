using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
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
}
