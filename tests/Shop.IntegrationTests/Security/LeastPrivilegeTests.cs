using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Infrastructure.Persistence;
using Shop.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace Shop.IntegrationTests.Security;

/// <summary>
/// The API under test connects as the production-like least-privilege identities (scripts/services.sh makes them):
/// PostgreSQL's app role may read and write Shop's rows but change no schema; Redis's app user may use Shop's keys
/// and channels but no other key, no other channel and no admin command. Each refusal has its allowed control.
/// </summary>
public sealed class LeastPrivilegeTests(ShopApp app) : IClassFixture<ShopApp>
{
    [Fact]
    public async Task The_api_connects_to_postgres_as_the_app_role_not_the_owner()
    {
        await using var scope = app.Api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
        var user = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Username;
        Assert.Equal(new NpgsqlConnectionStringBuilder(app.Services.PostgresApp).Username, user);
        Assert.NotEqual(new NpgsqlConnectionStringBuilder(app.Services.PostgresAdmin).Username, user);
        Assert.False(await app.ScalarAsync<bool>("SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = current_user"));
    }

    [Theory]
    [InlineData("CREATE TABLE intruder (id int)")]
    [InlineData("DROP TABLE reviews")]
    [InlineData("ALTER TABLE products ADD COLUMN intruder int")]
    [InlineData("TRUNCATE products CASCADE")]
    [InlineData("CREATE DATABASE intruder")]
    public async Task The_app_role_cannot_change_the_schema(string ddl)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => app.ScalarAsync<object>(ddl));
        Assert.Contains(error.SqlState, new[] { PostgresErrorCodes.InsufficientPrivilege, "42501" });
        // The control: rows are the app's to read and write.
        Assert.True(await app.ScalarAsync<long>("SELECT count(*) FROM reviews") > 0);
        Assert.Equal(1, await app.ScalarAsync<int>("UPDATE products SET name = name WHERE id = 1 RETURNING 1"));
    }

    private async Task<IDatabase> AppUserAsync()
    {
        // allowAdmin only lifts StackExchange.Redis's client-side guard, so the server's ACL is what answers.
        var options = ConfigurationOptions.Parse(app.Services.Redis);
        options.AllowAdmin = true;
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        return connection.GetDatabase();
    }

    [Fact]
    public async Task The_redis_app_user_may_touch_only_shops_keys_and_channel()
    {
        var db = await AppUserAsync();
        var own = $"{app.KeyPrefix}:v1:acl-probe";
        Assert.True(await db.StringSetAsync(own, "1", TimeSpan.FromSeconds(30)));
        Assert.Equal(1, (long)await db.ScriptEvaluateAsync("return redis.call('EXISTS', KEYS[1])", [own]));

        await AssertNoPerm(() => db.StringSetAsync("not-shop:acl-probe", "1"));
        await AssertNoPerm(() => db.StringGetAsync("session:42"));
        await AssertNoPerm(() => db.ScriptEvaluateAsync("return redis.call('GET', KEYS[1])", ["not-shop:x"]));
        await AssertNoPerm(() => db.PublishAsync(RedisChannel.Literal("other:invalidations"), "x"));
        await db.PublishAsync(RedisChannel.Literal($"{app.KeyPrefix}:acl-probe"), "x"); // the control: Shop's channels are allowed
    }

    [Theory]
    [InlineData("FLUSHALL")]
    [InlineData("FLUSHDB")]
    [InlineData("CONFIG", "SET", "maxmemory", "1")]
    [InlineData("CONFIG", "GET", "requirepass")]
    [InlineData("KEYS", "*")]
    [InlineData("SLOWLOG", "RESET")]
    [InlineData("CLIENT", "LIST")]
    [InlineData("ACL", "LIST")]
    [InlineData("CLIENT", "KILL", "TYPE", "normal")]
    [InlineData("SCRIPT", "FLUSH")]
    public async Task The_redis_app_user_cannot_run_admin_commands(string command, params string[] args)
    {
        var db = await AppUserAsync();
        await AssertNoPerm(() => db.ExecuteAsync(command, [.. args]));
    }

    [Fact]
    public async Task The_api_itself_uses_the_acl_user_and_still_caches()
    {
        Assert.Contains("user=", app.Services.Redis, StringComparison.OrdinalIgnoreCase);
        var client = app.Anonymous();
        await client.Get("/api/products/42").ShouldBe(HttpStatusCode.OK);
        var key = $"{app.KeyPrefix}:v1:{{product:42}}";
        for (var i = 0; i < 100 && !await app.Redis.KeyExistsAsync(key); i++) await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.True(await app.Redis.KeyExistsAsync(key), $"the fill of {key} (SET as shop-app) did not land");
        await app.AsAdmin().Put("/api/products/42/price", new { price = 12.5m }).ShouldBe(HttpStatusCode.OK); // EVAL + PUBLISH
        await client.Post("/api/products/42/views", new { }).ShouldBe(HttpStatusCode.Accepted); // page-view script keys
        var stats = await app.AsAdmin().Get("/api/cache/stats").ShouldBe(HttpStatusCode.OK); // INFO + SLOWLOG GET
        Assert.DoesNotContain("NOPERM", stats.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"usedMemory\"", stats.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_monitoring_user_reads_info_but_no_key()
    {
        var user = Environment.GetEnvironmentVariable("REDIS_USER");
        var password = Environment.GetEnvironmentVariable("REDIS_PASSWORD");
        Assert.SkipWhen(string.IsNullOrEmpty(user) || app.Services.UsesContainers, "REDIS_USER/REDIS_PASSWORD come from scripts/services.sh env");
        var options = ConfigurationOptions.Parse(app.Services.Redis);
        options.User = user;
        options.Password = password;
        options.AllowAdmin = true;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        Assert.NotEmpty(await server.InfoAsync("memory"));
        await AssertNoPerm(() => connection.GetDatabase().StringGetAsync($"{app.KeyPrefix}:v1:{{product:1}}"));
        await AssertNoPerm(() => connection.GetDatabase().ExecuteAsync("FLUSHALL"));
    }

    private static async Task AssertNoPerm(Func<Task> call)
    {
        var error = await Assert.ThrowsAnyAsync<RedisException>(call);
        Assert.Contains("NOPERM", error.Message, StringComparison.Ordinal);
    }
}
