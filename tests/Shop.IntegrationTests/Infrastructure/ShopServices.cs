using Npgsql;
using StackExchange.Redis;
using Testcontainers.PostgreSql;
using Testcontainers.Redis;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// The real PostgreSQL and Redis every integration test runs against, once per test run, with the same least-privilege
/// split as production: the API under test connects to PostgreSQL as the app role (rows only, no DDL) and to Redis as
/// the ACL'd app user (Shop's keys and channels, no admin commands), so a statement or command the app may not run
/// fails a test. The harness itself works as the owner role (creates, migrates, drops databases) and the Redis admin
/// (inspection, FLUSH, CLIENT KILL).
/// Servers: those named by ConnectionStrings__Postgres (app role), ConnectionStrings__PostgresMigrations (owner),
/// ConnectionStrings__Redis (app user) and SHOP_TEST_REDIS_ADMIN (scripts/services.sh env prints them); else
/// Testcontainers, where the harness creates the roles and the ACL user itself.
/// A seeded template database is built once; each test class gets a copy of it (CREATE DATABASE … TEMPLATE).
/// </summary>
public sealed class ShopServices : IAsyncLifetime
{
    // One template per test run, so two runs on the same server (two developers' sessions, say) never drop each other's.
    private readonly string TemplateDatabase = "shop_test_template_" + Guid.NewGuid().ToString("N")[..8];
    private PostgreSqlContainer? _postgres;
    private RedisContainer? _redis;
    private readonly SemaphoreSlim _createDatabase = new(1, 1);

    /// <summary>The ACL rules of the app user, from db/redis/users.acl.template (the file services.sh and compose render).</summary>
    public static string AppAclRules { get; } = ReadAppAclRules();

    private static string ReadAppAclRules()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "db", "redis", "users.acl.template"))) dir = dir.Parent;
        var template = Path.Combine(dir?.FullName ?? throw new FileNotFoundException("db/redis/users.acl.template not found above the test output"), "db", "redis", "users.acl.template");
        const string Head = "user shop-app on #@APP@ ";
        return File.ReadLines(template).Single(l => l.StartsWith(Head, StringComparison.Ordinal))[Head.Length..];
    }

    /// <summary>The owner role: creates, migrates, seeds and drops the test databases.</summary>
    public string PostgresAdmin { get; private set; } = "";

    /// <summary>The app role (SELECT/INSERT/UPDATE/DELETE on Shop's tables): what every API under test connects as.</summary>
    public string PostgresApp { get; private set; } = "";

    /// <summary>The app's Redis configuration (its ACL user): what every API under test connects as.</summary>
    public string Redis { get; private set; } = "";

    /// <summary>The harness's admin connection to Redis (inspection, FLUSH, CLIENT KILL); never given to the API.</summary>
    public string RedisAdmin { get; private set; } = "";

    public ConnectionMultiplexer RedisConnection { get; private set; } = null!;
    public bool UsesContainers { get; private set; }

    /// <summary>True when the tests run against Redis Cluster (scripts/test.sh runs the suite on both topologies).</summary>
    public bool IsCluster => RedisConnection.GetEndPoints().Any(e => RedisConnection.GetServer(e).ServerType == ServerType.Cluster);

    public async ValueTask InitializeAsync()
    {
        var app = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        var owner = Environment.GetEnvironmentVariable("ConnectionStrings__PostgresMigrations");
        var redis = Environment.GetEnvironmentVariable("ConnectionStrings__Redis");
        var redisAdmin = Environment.GetEnvironmentVariable("SHOP_TEST_REDIS_ADMIN");
        if (string.IsNullOrEmpty(app) || string.IsNullOrEmpty(owner) || string.IsNullOrEmpty(redis) || string.IsNullOrEmpty(redisAdmin))
        {
            try
            {
                _postgres = new PostgreSqlBuilder("postgres:15-alpine").Build();
                _redis = new RedisBuilder("redis:7-alpine").Build();
                await Task.WhenAll(_postgres.StartAsync(), _redis.StartAsync());
                UsesContainers = true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new InvalidOperationException(
                    "No Docker engine answered and ConnectionStrings__Postgres / ConnectionStrings__PostgresMigrations / " +
                    "ConnectionStrings__Redis / SHOP_TEST_REDIS_ADMIN are not set. Run the tests with scripts/test.sh, or start " +
                    "the servers with scripts/services.sh start and export the variables that `scripts/services.sh env` prints.", ex);
            }
            (owner, app) = await CreateRolesAsync(_postgres.GetConnectionString());
            redisAdmin = _redis.GetConnectionString() + ",allowAdmin=true";
            redis = await CreateAppUserAsync(redisAdmin);
        }

        PostgresAdmin = owner;
        PostgresApp = app;
        Redis = redis;
        RedisAdmin = redisAdmin;
        RedisConnection = await ConnectionMultiplexer.ConnectAsync(RedisAdmin);
        await CreateTemplateAsync();
    }

    /// <summary>The roles scripts/services.sh creates, made in a container (its superuser is the harness's only).</summary>
    private static async Task<(string Owner, string App)> CreateRolesAsync(string superuser)
    {
        var ownerPassword = Guid.NewGuid().ToString("N");
        var appPassword = Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(superuser))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"CREATE ROLE shop_owner LOGIN CREATEDB PASSWORD '{ownerPassword}'; CREATE ROLE shop_app LOGIN NOINHERIT PASSWORD '{appPassword}'; GRANT shop_app TO shop_owner;", connection);
            await command.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(superuser) { Database = "postgres" };
        return (new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Username = "shop_owner", Password = ownerPassword }.ConnectionString,
            new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Username = "shop_app", Password = appPassword }.ConnectionString);
    }

    private static async Task<string> CreateAppUserAsync(string admin)
    {
        var password = Guid.NewGuid().ToString("N");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(admin);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        await server.ExecuteAsync("ACL", ["SETUSER", "shop-app", "reset", "on", ">" + password, .. AppAclRules.Split(' ')]);
        var options = ConfigurationOptions.Parse(admin);
        options.AllowAdmin = false;
        options.User = "shop-app";
        options.Password = password;
        return options.ToString(includePassword: true);
    }

    private string? _keyspaceUser;

    /// <summary>
    /// The optional keyspace-notification mode runs CONFIG SET notify-keyspace-events and PSUBSCRIBEs to
    /// __keyspace@…: commands the app user is refused on purpose. An instance in that mode gets this user: the app's
    /// rules plus exactly those two (docs/security.md: what that mode costs in privilege).
    /// </summary>
    public string KeyspaceUserConfiguration()
    {
        if (_keyspaceUser is not null) return _keyspaceUser;
        var password = Guid.NewGuid().ToString("N");
        foreach (var endpoint in RedisConnection.GetEndPoints())
        {
            var server = RedisConnection.GetServer(endpoint);
            server.Execute("ACL", ["SETUSER", "shoptest-keyspace", "reset", "on", ">" + password, .. AppAclRules.Split(' '), "+config|set", "allchannels"]);
        }
        var options = ConfigurationOptions.Parse(Redis);
        options.User = "shoptest-keyspace";
        options.Password = password;
        options.AllowAdmin = true; // StackExchange.Redis sends CONFIG SET only in admin mode
        return _keyspaceUser = options.ToString(includePassword: true);
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
        return AppConnectionString(name);
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    /// <summary>Database <paramref name="database"/> as the owner role (DDL allowed: for the harness).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = database, Pooling = true, MaxPoolSize = 200 }.ConnectionString;

    /// <summary>Database <paramref name="database"/> as the app role (what the API under test uses).</summary>
    public string AppConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(PostgresApp) { Database = database, Pooling = true, MaxPoolSize = 200 }.ConnectionString;

    /// <summary>The database named in <paramref name="connectionString"/>, as the owner role.</summary>
    public string AsOwner(string connectionString) => ConnectionString(new NpgsqlConnectionStringBuilder(connectionString).Database!);

    private async Task CreateTemplateAsync()
    {
        await ExecuteAsync($"DROP DATABASE IF EXISTS {TemplateDatabase} WITH (FORCE)");
        await ExecuteAsync($"CREATE DATABASE {TemplateDatabase}");
        // The app role may use what the owner creates (tables from the migrations below): rows only. The grants are
        // copied with the template into every test database.
        var appRole = new NpgsqlConnectionStringBuilder(PostgresApp).Username;
        await ExecuteAsync($"""
            GRANT USAGE ON SCHEMA public TO {appRole};
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {appRole};
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {appRole};
            """, TemplateDatabase);
        // One throwaway host migrates and seeds the template the same way the app does at startup: as the owner
        // (ConnectionStrings:PostgresMigrations), while its own connection is the app role's.
        await using (var factory = new ShopApiFactory(AppConnectionString(TemplateDatabase), Redis, "shoptest:template", migrateAndSeed: true,
            settings: new Dictionary<string, string?> { ["ConnectionStrings:PostgresMigrations"] = ConnectionString(TemplateDatabase) }))
        {
            _ = factory.Server; // builds the host: migrations and seed run here
        }
        NpgsqlConnection.ClearAllPools();
    }

    private async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
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
