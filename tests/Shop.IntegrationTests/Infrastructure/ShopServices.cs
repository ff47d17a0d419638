using Npgsql;
using StackExchange.Redis;
using Testcontainers.PostgreSql;
using Testcontainers.Redis;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// The real PostgreSQL and Redis every integration test runs against, once per test run.
/// Testcontainers where a Docker engine answers; otherwise the servers named by
/// ConnectionStrings__Postgres and ConnectionStrings__Redis (scripts/test.sh starts them on loopback).
/// A seeded template database is built once; each test class gets a copy of it (CREATE DATABASE … TEMPLATE).
/// </summary>
public sealed class ShopServices : IAsyncLifetime
{
    // One template per test run, so two runs on the same server (two developers' sessions, say) never drop each other's.
    private readonly string TemplateDatabase = "shop_test_template_" + Guid.NewGuid().ToString("N")[..8];
    private PostgreSqlContainer? _postgres;
    private RedisContainer? _redis;
    private readonly SemaphoreSlim _createDatabase = new(1, 1);

    public string PostgresAdmin { get; private set; } = "";
    public string Redis { get; private set; } = "";
    public ConnectionMultiplexer RedisConnection { get; private set; } = null!;
    public bool UsesContainers { get; private set; }

    /// <summary>True when the tests run against Redis Cluster (scripts/test.sh runs the suite on both topologies).</summary>
    public bool IsCluster => RedisConnection.GetEndPoints().Any(e => RedisConnection.GetServer(e).ServerType == ServerType.Cluster);

    public async ValueTask InitializeAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        var redis = Environment.GetEnvironmentVariable("ConnectionStrings__Redis");
        if (string.IsNullOrEmpty(postgres) || string.IsNullOrEmpty(redis))
        {
            try
            {
                _postgres = new PostgreSqlBuilder("postgres:15-alpine").Build();
                _redis = new RedisBuilder("redis:7-alpine").Build();
                await Task.WhenAll(_postgres.StartAsync(), _redis.StartAsync());
                postgres = _postgres.GetConnectionString();
                redis = _redis.GetConnectionString() + ",allowAdmin=true";
                UsesContainers = true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new InvalidOperationException(
                    "No Docker engine answered and ConnectionStrings__Postgres / ConnectionStrings__Redis are not set. " +
                    "Run the tests with scripts/test.sh, or start the servers with scripts/services.sh start and " +
                    "export the variables that `scripts/services.sh env` prints.", ex);
            }
        }

        PostgresAdmin = postgres;
        Redis = redis!;
        RedisConnection = await ConnectionMultiplexer.ConnectAsync(Redis);
        await CreateTemplateAsync();
    }

    /// <summary>A fresh, migrated and demo-seeded database for one test class.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "shop_t_" + Guid.NewGuid().ToString("N")[..12];
        await _createDatabase.WaitAsync(); // CREATE DATABASE … TEMPLATE needs the template to have no other sessions
        try
        {
            await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {TemplateDatabase}");
        }
        finally
        {
            _createDatabase.Release();
        }
        return ConnectionString(name);
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = database, Pooling = true, MaxPoolSize = 200 }.ConnectionString;

    private async Task CreateTemplateAsync()
    {
        await ExecuteAsync($"DROP DATABASE IF EXISTS {TemplateDatabase} WITH (FORCE)");
        await ExecuteAsync($"CREATE DATABASE {TemplateDatabase}");
        // One throwaway host migrates and seeds the template the same way the app does at startup.
        await using (var factory = new ShopApiFactory(ConnectionString(TemplateDatabase), Redis, "shoptest:template", migrateAndSeed: true))
        {
            _ = factory.Server; // builds the host: migrations and seed run here
        }
        NpgsqlConnection.ClearAllPools();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try { await ExecuteAsync($"DROP DATABASE IF EXISTS {TemplateDatabase} WITH (FORCE)"); } catch (NpgsqlException) { }
        RedisConnection?.Dispose();
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
    }
}
