using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Application;
using Shop.Application.Abstractions;
using Shop.Infrastructure;
using Shop.Infrastructure.Persistence;

namespace Shop.UnitTests.Persistence;

/// <summary>
/// Handlers get the database port as AddInfrastructure registers it: the scope's own pooled <see cref="ShopDbContext"/>,
/// so a handler and anything else in the scope share one context (one unit of work), and two scopes never share one.
/// Nothing connects: the services are only resolved.
/// </summary>
public sealed class ShopDbContextTests
{
    [Fact]
    public void The_port_is_the_scopes_own_pooled_context()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none",
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,abortConnect=false",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration)
            .AddApplication().AddInfrastructure(configuration).BuildServiceProvider();
        using var first = provider.CreateScope();
        using var second = provider.CreateScope();

        var port = first.ServiceProvider.GetRequiredService<IShopDbContext>();

        Assert.Same(first.ServiceProvider.GetRequiredService<ShopDbContext>(), port);
        Assert.Same(port, first.ServiceProvider.GetRequiredService<IShopDbContext>());
        Assert.NotSame(port, second.ServiceProvider.GetRequiredService<IShopDbContext>());
    }
}
