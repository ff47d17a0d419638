using Microsoft.EntityFrameworkCore;
using Shop.Domain.PageViews;
using Shop.Domain.Products;
using Shop.Domain.Users;

namespace Shop.Application.Abstractions;

/// <summary>
/// The persistence port. Infrastructure implements it with EF Core on PostgreSQL and translates
/// provider errors (unique violations, concurrency conflicts) into <see cref="Common.ConflictException"/>.
/// </summary>
public interface IShopDbContext
{
    DbSet<Category> Categories { get; }
    DbSet<Product> Products { get; }
    DbSet<Review> Reviews { get; }
    DbSet<User> Users { get; }
    DbSet<UserPreferences> UserPreferences { get; }
    DbSet<ProductViewTotal> ProductViewTotals { get; }
    DbSet<AppliedViewBatch> AppliedViewBatches { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
