using Mediator;
using Microsoft.EntityFrameworkCore;
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
using Shop.Infrastructure.Persistence;

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
        using var provider = Services(_ => built++);
        using var scope = provider.CreateScope();

        var handler = scope.ServiceProvider.GetRequiredService<IQueryHandler<GetProductQuery, ProductPageDto>>();

        Assert.IsType<DeferredQueryHandler<GetProductQuery, ProductPageDto, GetProductQueryHandler>>(handler);
        Assert.Equal(0, built);
        scope.ServiceProvider.GetRequiredService<GetProductQueryHandler>(); // what the stand-in resolves on a miss
        Assert.Equal(1, built);
    }

    [Fact]
    public async Task On_a_miss_the_handler_is_built_in_the_loads_own_scope_if_it_has_one_else_in_the_requests()
    {
        var builtIn = new List<IServiceProvider>();
        using var provider = Services(builtIn.Add);
        using var request = provider.CreateScope();
        var handler = request.ServiceProvider.GetRequiredService<IQueryHandler<GetProductQuery, ProductPageDto>>();

        // The handler runs and reaches the port, which is not connected: what counts is where it was built.
        await Assert.ThrowsAsync<NotSupportedException>(() => handler.Handle(new GetProductQuery(1), CancellationToken.None).AsTask());
        IServiceProvider? load = null;
        await LoadScope.RunAsync(provider.GetRequiredService<IServiceScopeFactory>(), async () =>
        {
            load = LoadScope.Current;
            return await Assert.ThrowsAsync<NotSupportedException>(() => handler.Handle(new GetProductQuery(1), CancellationToken.None).AsTask());
        });

        Assert.NotNull(load);
        Assert.Equal([request.ServiceProvider, load], builtIn);
    }

    [Fact]
    public void Handlers_of_queries_that_are_not_cached_and_of_commands_are_registered_as_Mediator_registers_them()
    {
        using var provider = Services(_ => { });
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

    private static ServiceProvider Services(Action<IServiceProvider> dbContextBuiltIn)
    {
        var configuration = Configuration();
        var services = new ServiceCollection().AddLogging().AddSingleton(configuration).AddApplication().AddInfrastructure(configuration);
        services.AddScoped<IShopDbContext>(scope =>
        {
            dbContextBuiltIn(scope);
            return new Unconnected();
        });
        return services.BuildServiceProvider();
    }

    private static IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none",
        ["ConnectionStrings:Redis"] = "127.0.0.1:1,abortConnect=false",
    }).Build();

    /// <summary>The port, built where the tests can see it, and never connected.</summary>
    private sealed class Unconnected : IShopDbContext
    {
        public DbSet<TEntity> Set<TEntity>() where TEntity : class => throw new NotSupportedException("not connected");

        public Task<int> SaveChangesAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException("not connected");
    }
}
