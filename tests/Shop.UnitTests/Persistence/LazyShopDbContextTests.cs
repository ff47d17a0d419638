using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Application.Abstractions;
using Shop.Domain.Products;
using Shop.Domain.Users;
using Shop.Infrastructure.Persistence;

namespace Shop.UnitTests.Persistence;

/// <summary>
/// Handlers get <see cref="LazyShopDbContext"/>: it must not take a <see cref="ShopDbContext"/> from the scope
/// (in the app: lease one from the pool) until a handler touches the port, and then forward to that one context.
/// </summary>
public sealed class LazyShopDbContextTests
{
    [Fact]
    public void Takes_the_context_only_on_first_use_and_forwards_the_sets_to_it()
    {
        var created = 0;
        var services = new ServiceCollection();
        services.AddScoped(_ =>
        {
            created++;
            // Never connects: the test only asks for sets, which EF Core creates without a database.
            return new ShopDbContext(new DbContextOptionsBuilder<ShopDbContext>().UseNpgsql("Host=127.0.0.1;Port=1").Options);
        });
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        IShopDbContext lazy = new LazyShopDbContext(scope.ServiceProvider);
        Assert.Equal(0, created); // a cache hit ends here: no context taken

        var products = lazy.Products;
        _ = lazy.Users;
        Assert.Equal(1, created);

        IShopDbContext context = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
        Assert.Same(context.Products, products);
        Assert.Same(context.Set<User>(), lazy.Users);
        Assert.Same(context.Set<Product>(), context.Products); // one declaration list, backed by EF Core's Set<T>()
    }
}
