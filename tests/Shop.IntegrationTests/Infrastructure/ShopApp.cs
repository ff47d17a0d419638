using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Api.Security;
using Shop.Infrastructure.Caching;
using StackExchange.Redis;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// A test class's own deployment: its own database copy and Redis key prefix, with one API instance
/// (<see cref="Api"/>) and more on demand (<see cref="StartInstance"/>). Use as a class fixture, or
/// create one inside a test that needs special settings.
/// </summary>
public class ShopApp(ShopServices services) : IAsyncLifetime
{
    private readonly List<ShopApiFactory> _instances = [];

    public ShopServices Services => services;
    public string Postgres { get; private set; } = "";
    public string KeyPrefix { get; } = "shoptest:" + Guid.NewGuid().ToString("N")[..8];
    public ShopApiFactory Api => _instances[0];
    public IDatabase Redis => services.RedisConnection.GetDatabase();

    /// <summary>Settings every instance of this app starts with (override in a subclass or before InitializeAsync).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public virtual async ValueTask InitializeAsync()
    {
        Postgres = await services.CreateDatabaseAsync();
        StartInstance();
    }

    /// <summary>Another API instance on the same PostgreSQL database and Redis prefix.</summary>
    public ShopApiFactory StartInstance(IReadOnlyDictionary<string, string?>? settings = null, DatabaseGate? gate = null)
    {
        var merged = new Dictionary<string, string?>(Settings);
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) merged[k] = v;
        if (merged.GetValueOrDefault("Cache:KeyspaceNotifications") is "true" or "True" && !merged.ContainsKey("ConnectionStrings:Redis"))
            merged["ConnectionStrings:Redis"] = services.KeyspaceUserConfiguration();
        var factory = new ShopApiFactory(Postgres, services.Redis, KeyPrefix, settings: merged,
            configureServices: gate is null ? null : s => s.ConfigureDbContext<Shop.Infrastructure.Persistence.ShopDbContext>(o => o.AddInterceptors(gate)));
        _ = factory.Server; // start now, not on first request
        _instances.Add(factory);
        // L1 is bypassed until the instance is subscribed to invalidations; wait for that (briefly: an instance
        // pointed at an unreachable Redis never subscribes, and that is what such a test wants).
        var bus = factory.Services.GetRequiredService<InvalidationSubscriber>();
        for (var i = 0; i < 200 && !bus.Subscribed; i++) Thread.Sleep(10);
        return factory;
    }

    /// <summary>
    /// An instance that reaches Redis only through <paramref name="proxy"/>, so a test can cut Redis off and bring it
    /// back. Default breaker settings: when the proxy is back the client reconnects and the breaker probes at once.
    /// </summary>
    public ShopApiFactory StartInstanceBehind(RedisProxy proxy) => StartInstance(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Redis"] = proxy.Configuration,
    });

    public HttpClient Anonymous(ShopApiFactory? instance = null) => (instance ?? Api).CreateClient();

    public HttpClient AsUser(int userId, ShopApiFactory? instance = null) => WithToken(userId, Roles.Customer, instance);

    public HttpClient AsAdmin(ShopApiFactory? instance = null) => WithToken(1, Roles.Admin, instance);

    private HttpClient WithToken(int userId, string role, ShopApiFactory? instance)
    {
        var client = (instance ?? Api).CreateClient();
        var options = new AuthOptions { SigningKey = AuthOptions.DevelopmentSigningKey };
        var (token, _) = DevTokenEndpoints.Issue(options, userId, role, DateTimeOffset.UtcNow);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Runs a scalar SQL query against this app's database (to check what was, or was not, written).</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        await DeleteKeysAsync();
        await services.DropDatabaseAsync(Postgres);
        GC.SuppressFinalize(this);
    }

    /// <summary>Removes this app's Redis keys (SCAN by prefix, so tests sharing one Redis never see each other).</summary>
    public async Task DeleteKeysAsync()
    {
        foreach (var endpoint in services.RedisConnection.GetEndPoints())
        {
            var server = services.RedisConnection.GetServer(endpoint);
            if (server.IsReplica || !server.IsConnected) continue;
            var keys = new List<RedisKey>();
            await foreach (var key in server.KeysAsync(pattern: KeyPrefix + ":*", pageSize: 1000)) keys.Add(key);
            foreach (var key in keys) await Redis.KeyDeleteAsync(key);
        }
    }
}
