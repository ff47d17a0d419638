using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Application.Abstractions;

namespace Shop.Infrastructure.PageViews;

internal static class PageViewSetup
{
    /// <summary>The write-behind page-view counter: the port on the request path, and the flusher as a hosted service.</summary>
    public static IServiceCollection AddPageViews(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PageViewOptions>().Bind(configuration.GetSection(PageViewOptions.Section))
            .Validate(o => o.MaxBatchAge < o.BatchRetention, "PageViews:MaxBatchAge must be shorter than PageViews:BatchRetention.")
            .ValidateOnStart();
        services.AddSingleton<PageViewKeys>();
        services.AddSingleton<PageViewStats>();
        services.AddSingleton<PageViewFlushSignal>();
        services.AddSingleton<IPageViewCounter, RedisPageViewCounter>();
        services.AddSingleton<PageViewConnection>();
        services.AddSingleton<PageViewFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<PageViewFlusher>());
        return services;
    }
}
