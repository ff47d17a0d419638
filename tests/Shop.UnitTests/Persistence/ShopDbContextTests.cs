using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;
using Shop.Domain.Products;
using Shop.Domain.Users;
using Shop.Infrastructure.Persistence;

namespace Shop.UnitTests.Persistence;

/// <summary>The port's entity sets are declared once, in <see cref="IShopDbContext"/>, and backed by EF Core's Set&lt;T&gt;().</summary>
public sealed class ShopDbContextTests
{
    [Fact]
    public void The_ports_sets_are_the_contexts_own()
    {
        // Never connects: the test only asks for sets, which EF Core creates without a database.
        using var context = new ShopDbContext(new DbContextOptionsBuilder<ShopDbContext>().UseNpgsql("Host=127.0.0.1;Port=1").Options);
        IShopDbContext port = context;

        Assert.Same(context.Set<Product>(), port.Products);
        Assert.Same(context.Set<User>(), port.Users);
        Assert.Same(port.Products, port.Products);
    }
}
