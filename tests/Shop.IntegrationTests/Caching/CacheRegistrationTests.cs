using Microsoft.Extensions.DependencyInjection;
using Shop.Application.Abstractions;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Caching;

/// <summary>The cache keeps no per-request state, so each pattern is one instance per process; only the trace is per request.</summary>
public sealed class CacheRegistrationTests(ShopApp app) : IClassFixture<ShopApp>
{
    [Fact]
    public void Cache_services_are_singletons_and_the_trace_is_per_request()
    {
        using var first = app.Api.Services.CreateScope();
        using var second = app.Api.Services.CreateScope();

        foreach (var type in new[]
                 {
                     typeof(ICacheAside), typeof(IBatchCacheRead), typeof(ICachePrefetch), typeof(IWriteThroughCache), typeof(ICacheInvalidator),
                     typeof(L1Cache), typeof(InvalidationPublisher), typeof(InvalidationSubscriber), typeof(InvalidationRetries),
                 })
        {
            Assert.Same(first.ServiceProvider.GetRequiredService(type), second.ServiceProvider.GetRequiredService(type));
        }
        Assert.NotSame(first.ServiceProvider.GetRequiredService<CacheTrace>(), second.ServiceProvider.GetRequiredService<CacheTrace>());
    }
}
