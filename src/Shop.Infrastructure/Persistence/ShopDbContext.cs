using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Infrastructure.Persistence;

/// <summary>
/// EF Core on PostgreSQL. The entity sets are <see cref="IShopDbContext"/>'s (EF Core's <c>Set&lt;T&gt;()</c> backs
/// them); each entity's table and columns are in its configuration under Configurations/.
/// </summary>
public sealed class ShopDbContext(DbContextOptions<ShopDbContext> options) : DbContext(options), IShopDbContext
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ShopDbContext).Assembly);

    /// <summary>Translates provider errors into the Application's <see cref="ConflictException"/> so handlers stay provider-free.</summary>
    public override async Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new ConflictException("The resource was changed by someone else; read it again and retry.", ex);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
        {
            throw new ConflictException(pg.ConstraintName switch
            {
                "ix_products_sku" => "A product with this SKU already exists.",
                "ix_users_email" => "A user with this email already exists.",
                _ => "A unique value is already taken.",
            }, ex);
        }
    }
}
