using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Application.Abstractions;
using Shop.Application.Common;
using Shop.Domain.Products;
using Shop.Infrastructure.Persistence;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Persistence;

/// <summary>
/// Lost updates are refused: products carry a version token, and ShopDbContext turns EF Core's concurrency
/// exception into <see cref="ConflictException"/> (409). Both tests force the race deterministically.
/// </summary>
public sealed class ConcurrencyTests(ShopApp app) : IClassFixture<ShopApp>
{
    private Task<string?> PriceAndVersion(int id) => app.ScalarAsync<string>($"SELECT price::text || ' v' || version FROM products WHERE id = {id}");

    [Fact]
    public async Task Second_of_two_contexts_saving_the_same_product_gets_a_ConflictException()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var first = app.Api.Services.CreateAsyncScope();
        await using var second = app.Api.Services.CreateAsyncScope();
        IShopDbContext db1 = first.ServiceProvider.GetRequiredService<ShopDbContext>(); // the sets are the port's
        IShopDbContext db2 = second.ServiceProvider.GetRequiredService<ShopDbContext>();
        var mine = await db1.Products.SingleAsync(p => p.Id == 21, ct);
        var theirs = await db2.Products.SingleAsync(p => p.Id == 21, ct);

        mine.ChangePrice(10m, DateTimeOffset.UtcNow);
        theirs.ChangePrice(20m, DateTimeOffset.UtcNow);
        await db1.SaveChangesAsync(ct);
        var conflict = await Assert.ThrowsAsync<ConflictException>(() => db2.SaveChangesAsync(ct));

        Assert.IsType<DbUpdateConcurrencyException>(conflict.InnerException);
        Assert.Equal("10.00 v2", await PriceAndVersion(21));
    }

    [Fact]
    public async Task Unique_violation_becomes_a_ConflictException_naming_the_sku()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = app.Api.Services.CreateAsyncScope();
        IShopDbContext db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
        db.Products.Add(Product.Create("SKU-000002", "Copy", "", 1m, "EUR", 1, DateTimeOffset.UtcNow));

        var conflict = await Assert.ThrowsAsync<ConflictException>(() => db.SaveChangesAsync(ct));

        Assert.Equal("A product with this SKU already exists.", conflict.Message);
        Assert.Equal(1, await app.ScalarAsync<long>("SELECT count(*) FROM products WHERE sku = 'SKU-000002'"));
    }

    [Fact]
    public async Task Price_change_that_loses_a_race_is_409_and_the_winner_is_kept()
    {
        // Another writer commits between the handler's read and its UPDATE: exactly the lost-update window.
        var race = new CompetingWriteInterceptor(app.Postgres, productId: 22, "UPDATE products SET price = 55.55, version = version + 1 WHERE id = 22");
        await using var instance = new ShopApiFactory(app.Postgres, app.Services.Redis, app.KeyPrefix,
            configureServices: services => services.ConfigureDbContext<ShopDbContext>(o => o.AddInterceptors(race)));

        var problem = await app.AsAdmin(instance).Put("/api/products/22/price", new { price = 66.66m }).ShouldBeProblem(HttpStatusCode.Conflict);

        Assert.True(race.Fired);
        Assert.Contains("changed by someone else", problem.Text("detail"), StringComparison.Ordinal);
        Assert.Equal("55.55 v2", await PriceAndVersion(22));

        // Read again and retry, as the problem says: now it succeeds on top of the winner's version.
        await app.AsAdmin(instance).Put("/api/products/22/price", new { price = 66.66m }).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("66.66 v3", await PriceAndVersion(22));
    }

    /// <summary>Just before EF Core saves a change to one product, commits <paramref name="sql"/> on another connection, once.</summary>
    private sealed class CompetingWriteInterceptor(string connectionString, int productId, string sql) : SaveChangesInterceptor
    {
        public bool Fired { get; private set; }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            var touchesProduct = eventData.Context!.ChangeTracker.Entries<Product>()
                .Any(e => e.State == EntityState.Modified && e.Entity.Id == productId);
            if (touchesProduct && !Fired)
            {
                Fired = true;
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return result;
        }
    }
}
