using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Application;
using Shop.Application.Abstractions;
using Shop.Application.Products;
using Shop.Application.Products.ChangeProductPrice;
using Shop.Application.Products.GetProduct;
using Shop.Application.Users;
using Shop.Application.Users.GetUserOverview;
using Shop.Infrastructure;
using Shop.Infrastructure.Caching;

namespace Shop.UnitTests.Caching;

/// <summary>
/// A cached query's handler is built only when the cache calls it (a miss): Mediator resolves the handler before the
/// behaviours, and AddInfrastructure registers <see cref="DeferredQueryHandler{TQuery, TResponse, THandler}"/> in its place.
/// Nothing here connects to anything: the services are only resolved.
/// </summary>
public sealed class DeferredQueryHandlerTests
{
    [Fact]
    public void A_cached_querys_handler_is_a_stand_in_that_builds_no_DbContext()
    {
        var built = 0;
        using var provider = Services(() => built++);
        using var scope = provider.CreateScope();

        var handler = scope.ServiceProvider.GetRequiredService<IQueryHandler<GetProductQuery, ProductPageDto>>();

        Assert.IsType<DeferredQueryHandler<GetProductQuery, ProductPageDto, GetProductQueryHandler>>(handler);
        Assert.Equal(0, built);
        scope.ServiceProvider.GetRequiredService<GetProductQueryHandler>(); // what the stand-in resolves on a miss
        Assert.Equal(1, built);
    }

    [Fact]
    public void Handlers_of_queries_that_are_not_cached_and_of_commands_are_registered_as_Mediator_registers_them()
    {
        using var provider = Services(() => { });
        using var scope = provider.CreateScope();

        Assert.IsType<GetUserOverviewQueryHandler>(scope.ServiceProvider.GetRequiredService<IQueryHandler<GetUserOverviewQuery, UserOverviewDto>>());
        Assert.IsType<ChangeProductPriceCommandHandler>(
            scope.ServiceProvider.GetRequiredService<ICommandHandler<ChangeProductPriceCommand, ProductPageDto>>());
    }

    [Fact]
    public void AddInfrastructure_before_AddApplication_is_refused_with_the_reason()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddInfrastructure(Configuration()));
        Assert.Contains("AddApplication before AddInfrastructure", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Action dbContextBuilt)
    {
        var configuration = Configuration();
        var services = new ServiceCollection().AddLogging().AddSingleton(configuration).AddApplication().AddInfrastructure(configuration);
        services.AddScoped<IShopDbContext>(_ =>
        {
            dbContextBuilt();
            return null!; // never used: the tests only count how often it is built
        });
        return services.BuildServiceProvider();
    }

    private static IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none",
        ["ConnectionStrings:Redis"] = "127.0.0.1:1,abortConnect=false",
    }).Build();
}
