using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Shop.Domain.PageViews;
using Shop.Domain.Products;
using Shop.Domain.Users;

namespace Shop.Application.Abstractions;

/// <summary>
/// The persistence port. Infrastructure implements it with EF Core on PostgreSQL and translates
/// provider errors (unique violations, concurrency conflicts) into <see cref="Common.ConflictException"/>.
/// The entity sets are declared here, once: an implementation supplies <see cref="Set{TEntity}"/> (EF Core's
/// <c>DbContext.Set</c>) and <see cref="SaveChangesAsync"/>, nothing else.
/// </summary>
public interface IShopDbContext
{
    DbSet<Category> Categories => Set<Category>();
    DbSet<Product> Products => Set<Product>();
    DbSet<Review> Reviews => Set<Review>();
    DbSet<User> Users => Set<User>();
    DbSet<UserPreferences> UserPreferences => Set<UserPreferences>();
    DbSet<ProductViewTotal> ProductViewTotals => Set<ProductViewTotal>();
    DbSet<AppliedViewBatch> AppliedViewBatches => Set<AppliedViewBatch>();

    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "EF Core's DbContext.Set<TEntity>() implements it as it is.")]
    DbSet<TEntity> Set<TEntity>() where TEntity : class;

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
