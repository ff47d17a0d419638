using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Application.Abstractions;
using Shop.Infrastructure.Caching;
using Shop.Infrastructure.Persistence;
using Shop.Infrastructure.Persistence.Seeding;
using StackExchange.Redis;

namespace Shop.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var postgres = configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set.");

        services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.Section));
        services.AddDbContext<ShopDbContext>(o => o.UseNpgsql(postgres).UseSnakeCaseNamingConvention());
        services.AddScoped<IShopDbContext>(sp => sp.GetRequiredService<ShopDbContext>());
        services.AddScoped<DatabaseSeeder>();

        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(RedisConnection.Options(configuration)));
        services.AddHealthChecks()
            .AddDbContextCheck<ShopDbContext>("postgres", tags: ["ready"])
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return services;
    }
}
