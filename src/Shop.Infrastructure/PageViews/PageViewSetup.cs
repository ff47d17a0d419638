using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Application.Abstractions;
using Shop.Infrastructure.Caching;
using StackExchange.Redis;

namespace Shop.Infrastructure.PageViews;

internal static class PageViewSetup
{
    /// <summary>The write-behind page-view counter: the port on the request path, and the flusher as a hosted service.</summary>
    public static IServiceCollection AddPageViews(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PageViewOptions>(configuration.GetSection(PageViewOptions.Section));
        services.AddSingleton<PageViewKeys>();
        services.AddSingleton<PageViewStats>();
        services.AddSingleton<PageViewFlushSignal>();
        services.AddSingleton<IPageViewCounter, RedisPageViewCounter>();
        services.AddKeyedSingleton<IConnectionMultiplexer>(PageViewFlusher.ConnectionKey, (sp, _) =>
        {
            var options = RedisConnection.Options(configuration, sp.GetRequiredService<IOptions<PageViewOptions>>().Value.RedisTimeout,
                sp.GetRequiredService<CacheInstance>());
            options.ClientName += "-pageviews";
            options.BacklogPolicy = BacklogPolicy.FailFast; // a flush cannot wait for a reconnect: it fails, the next one retries
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton<PageViewFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<PageViewFlusher>());
        return services;
    }
}
