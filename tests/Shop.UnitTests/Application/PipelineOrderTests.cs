using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shop.Application;
using Shop.Application.Abstractions;
using Shop.Application.Behaviours;
using Shop.Application.Caching;
using Shop.Application.Categories.ListCategoryProducts;
using Shop.Application.Common;
using Shop.Application.PageViews;
using Shop.Application.PageViews.RecordPageView;
using Shop.Application.Products;
using Shop.Application.Products.ChangeProductPrice;
using Shop.Application.Products.GetProduct;
using Shop.Application.Products.GetProducts;
using Shop.Application.Users;
using Shop.Application.Users.ChangeUserPlan;
using Shop.Application.Users.GetUserOverview;

namespace Shop.UnitTests.Application;

/// <summary>
/// The pipeline order is registered by AddApplication (the list next to the behaviours); these tests read it back from
/// the container the way Mediator does, so moving a line of that list fails here.
/// </summary>
public sealed class PipelineOrderTests
{
    private static readonly Type Logging = typeof(LoggingBehaviour<,>);
    private static readonly Type Authorization = typeof(AuthorizationBehaviour<,>);
    private static readonly Type Validation = typeof(ValidationBehaviour<,>);

    private static readonly Type[] Order =
    [
        typeof(LoggingBehaviour<,>),
        typeof(AuthorizationBehaviour<,>),
        typeof(ValidationBehaviour<,>),
        typeof(CachePrefetchBehaviour<,>),
        typeof(CacheVersionBehaviour<,>),
        typeof(CacheAsideBehaviour<,>),
        typeof(CacheAsideBatchBehaviour<,>),
        typeof(CacheInvalidationBehaviour<,>),
        typeof(WriteThroughBehaviour<,>),
    ];

    [Fact]
    public void AddApplication_registers_every_behaviour_once_outermost_first()
    {
        // Mediator registers each behaviour for each request type it applies to, in the list's order.
        var registered = new ServiceCollection().AddApplication()
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IPipelineBehavior<,>))
            .Select(d => d.ImplementationType is { IsGenericType: true } t ? t.GetGenericTypeDefinition() : d.ImplementationType)
            .Distinct()
            .ToArray();
        Assert.Equal(Order, registered);
    }

    [Fact]
    public void Each_request_gets_the_behaviours_its_markers_switch_on_in_order()
    {
        using var provider = Services();
        using var scope = provider.CreateScope();

        // Public reads: no logging (commands only), no authorization (no access rule declared).
        Assert.Equal([Validation, typeof(CacheAsideBehaviour<,>)], Pipeline<GetProductQuery, ProductPageDto>(scope));
        Assert.Equal([Validation, typeof(CacheAsideBatchBehaviour<,>)], Pipeline<GetProductsQuery, IReadOnlyList<ProductPageDto>>(scope));
        Assert.Equal([Validation, typeof(CacheVersionBehaviour<,>), typeof(CacheAsideBehaviour<,>)],
            Pipeline<ListCategoryProductsQuery, PagedList<ProductSummaryDto>>(scope));
        // A user-scoped read: authorized before validation and the cache.
        Assert.Equal([Authorization, Validation, typeof(CachePrefetchBehaviour<,>)], Pipeline<GetUserOverviewQuery, UserOverviewDto>(scope));
        // Admin commands: logged, authorized, validated, then the write's cache behaviour.
        Assert.Equal([Logging, Authorization, Validation, typeof(CacheInvalidationBehaviour<,>)], Pipeline<ChangeProductPriceCommand, ProductPageDto>(scope));
        Assert.Equal([Logging, Authorization, Validation, typeof(WriteThroughBehaviour<,>)], Pipeline<ChangeUserPlanCommand, UserProfileDto>(scope));
        // A public command: logged and validated, no authorization.
        Assert.Equal([Logging, Validation], Pipeline<RecordPageViewCommand, PageViewsDto>(scope));
    }

    private static Type[] Pipeline<TMessage, TResponse>(IServiceScope scope)
        where TMessage : IMessage =>
        [.. scope.ServiceProvider.GetServices<IPipelineBehavior<TMessage, TResponse>>().Select(b => b.GetType().GetGenericTypeDefinition())];

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection().AddApplication();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<ICurrentUser, NoPorts>();
        services.AddSingleton<ICacheAside, NoPorts>();
        services.AddSingleton<IBatchCacheRead, NoPorts>();
        services.AddSingleton<ICachePrefetch, NoPorts>();
        services.AddSingleton<ICacheInvalidator, NoPorts>();
        services.AddSingleton<IWriteThroughCache, NoPorts>();
        services.AddSingleton<ICacheVersions, NoPorts>();
        return services.BuildServiceProvider();
    }

    /// <summary>The behaviours' dependencies, never called: these tests only build the pipeline.</summary>
    private sealed class NoPorts : ICurrentUser, ICacheAside, IBatchCacheRead, ICachePrefetch, ICacheInvalidator, IWriteThroughCache, ICacheVersions
    {
        public bool IsAuthenticated => false;

        public int? UserId => null;

        public bool IsAdmin => false;

        public ValueTask<CacheResult<T>> GetOrLoadAsync<T, TState>(
            CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T?>> load, CancellationToken cancellationToken)
            where T : class => throw new NotSupportedException();

        public ValueTask<CacheBatchResult<T>> GetManyAsync<T>(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
            where T : class => throw new NotSupportedException();

        public void Fill<T>(CacheBatchResult<T> batch, IReadOnlyList<KeyValuePair<CacheKey, T?>> loaded)
            where T : class => throw new NotSupportedException();

        public ValueTask<CacheOutcome?> PrefetchAsync(IReadOnlyList<CachePrefetchKey> keys, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public ValueTask<long> CurrentAsync(string versionKey, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask InvalidateAsync(CacheInvalidation invalidation, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask WriteThroughAsync<T>(CacheKey key, T value, long version, CancellationToken cancellationToken)
            where T : class => throw new NotSupportedException();
    }
}
