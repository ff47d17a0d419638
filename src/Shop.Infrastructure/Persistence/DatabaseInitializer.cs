using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Infrastructure.Persistence.Seeding;

namespace Shop.Infrastructure.Persistence;

public static class DatabaseInitializer
{
    /// <summary>Migrate and seed as configured; called once by the host before it listens.</summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
        if (options.MigrateOnStartup) await db.Database.MigrateAsync(cancellationToken);
        if (SeedSize.FromName(options.Seed) is { } size)
            await scope.ServiceProvider.GetRequiredService<DatabaseSeeder>().SeedAsync(size, cancellationToken);
    }
}
