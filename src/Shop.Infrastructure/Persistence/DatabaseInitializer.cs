using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Infrastructure.Persistence.Seeding;

namespace Shop.Infrastructure.Persistence;

/// <summary>
/// Migrations and seed run as the schema owner: <c>ConnectionStrings:PostgresMigrations</c> when set (the app's own
/// role, <c>ConnectionStrings:Postgres</c>, may only read and write rows: no DDL), else the app's connection.
/// </summary>
public static class DatabaseInitializer
{
    public const string MigrationsConnection = "PostgresMigrations";

    /// <summary>Migrate and seed as configured; called once by the host before it listens.</summary>
    public static Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.MigrateAndSeedAsync(migrate: null, cancellationToken);

    /// <summary>
    /// Applies the migrations (always when <paramref name="migrate"/> is true; per <c>Database:MigrateOnStartup</c> when
    /// null), then the seed <c>Database:Seed</c> names. The <c>migrate</c> command calls it with true.
    /// </summary>
    public static async Task MigrateAndSeedAsync(this IServiceProvider services, bool? migrate, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var seed = SeedSize.FromName(options.Seed);
        if (!(migrate ?? options.MigrateOnStartup) && seed is null) return;

        var owner = scope.ServiceProvider.GetRequiredService<IConfiguration>().GetConnectionString(MigrationsConnection);
        await using var ownerContext = string.IsNullOrEmpty(owner)
            ? null
            : new ShopDbContext(new DbContextOptionsBuilder<ShopDbContext>().UseNpgsql(owner).UseSnakeCaseNamingConvention().Options);
        var db = ownerContext ?? scope.ServiceProvider.GetRequiredService<ShopDbContext>();
        if (migrate ?? options.MigrateOnStartup) await db.Database.MigrateAsync(cancellationToken);
        if (seed is { } size)
            await new DatabaseSeeder(db, scope.ServiceProvider.GetRequiredService<ILogger<DatabaseSeeder>>()).SeedAsync(size, cancellationToken);
    }
}
