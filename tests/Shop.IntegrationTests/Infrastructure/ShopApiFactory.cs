using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.Persistence;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// One API instance (a real ASP.NET Core host in memory) on a given database and Redis key prefix.
/// Two factories on the same database and prefix behave as two instances of a deployment.
/// </summary>
public sealed class ShopApiFactory(
    string postgres, string redis, string keyPrefix, bool migrateAndSeed = false,
    IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<Program>
{
    /// <summary>Counts every SQL command this instance sends to PostgreSQL.</summary>
    public SqlCommandCounter Sql { get; } = new();

    public string KeyPrefix => keyPrefix;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Postgres", postgres);
        builder.UseSetting("ConnectionStrings:Redis", redis);
        builder.UseSetting("Cache:KeyPrefix", keyPrefix);
        builder.UseSetting("Database:MigrateOnStartup", migrateAndSeed ? "true" : "false");
        builder.UseSetting("Database:Seed", migrateAndSeed ? "demo" : "none");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Out of reach unless a test lowers them (RateLimiting tests): one test client makes many requests.
        builder.UseSetting("RateLimiting:Reads:PermitLimit", "1000000000");
        builder.UseSetting("RateLimiting:Writes:PermitLimit", "1000000000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.ConfigureDbContext<ShopDbContext>(o => o.AddInterceptors(Sql));
            configureServices?.Invoke(services);
        });
    }
}
