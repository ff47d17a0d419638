using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Shop.Application.Abstractions;

namespace Shop.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<CacheTrace>();
        return services;
    }
}
