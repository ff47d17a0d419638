using System.Net;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Caching;

/// <summary>
/// A long lock TTL, lock wait and Redis timeout, so that on a loaded 2-core CI machine (1,000 requests in flight,
/// other test classes in parallel) neither the owner's lock expires, nor the waiters give up, nor a slow Redis reply
/// fails open to the database before the owner's load finishes: these tests are about the lock, not about the
/// fallbacks around it (each costs one more load, by design). In production the lock TTL and wait must exceed the
/// slowest load you expect.
/// </summary>
public sealed class StampedeApp(ShopServices services) : ShopApp(services)
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Cache:LockTtl"] = "00:00:30",
        ["Cache:LockWait"] = "00:00:30",
        ["Cache:RedisTimeout"] = "00:00:05",
    };
}

/// <summary>Single-flight within an instance and the Redis lock across instances: one database load per cold key.</summary>
public sealed class StampedeProtectionTests(StampedeApp app) : IClassFixture<StampedeApp>
{
    [Fact]
    public async Task Thousand_concurrent_reads_of_a_cold_product_load_it_once()
    {
        var client = app.Anonymous();
        var before = app.Api.Sql.Count;
        var responses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => client.Get("/api/products/201")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, app.Api.Sql.Count - before);
    }

    [Fact]
    public async Task Thousand_concurrent_reads_over_two_instances_load_it_once()
    {
        var second = app.StartInstance();
        var a = app.Anonymous();
        var b = app.Anonymous(second);
        var before = app.Api.Sql.Count + second.Sql.Count;

        var responses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => (i % 2 == 0 ? a : b).Get("/api/products/202")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, app.Api.Sql.Count + second.Sql.Count - before);
    }

    [Fact]
    public async Task The_lock_cannot_be_released_by_a_non_owner()
    {
        var key = $"{app.KeyPrefix}:v1:{{product:203}}";
        Assert.True(await RedisLock.AcquireAsync(app.Redis, key, "owner", TimeSpan.FromSeconds(30)));

        var released = (long)await RedisLock.ReleaseAsync(app.Redis, key, "intruder");

        Assert.Equal(0, released);
        Assert.Equal("owner", (string?)await app.Redis.StringGetAsync(RedisKeyspace.LockKey(key)));
        Assert.Equal(1, (long)await RedisLock.ReleaseAsync(app.Redis, key, "owner"));
        Assert.False(await app.Redis.KeyExistsAsync(RedisKeyspace.LockKey(key)));
    }

    [Fact]
    public async Task A_crashed_owners_lock_expires_and_a_reader_takes_over()
    {
        // Another "instance" took the lock for product 204 and died without releasing it.
        var key = $"{app.KeyPrefix}:v1:{{product:204}}";
        var lockTtl = TimeSpan.FromSeconds(1);
        var sinceLock = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(await RedisLock.AcquireAsync(app.Redis, key, "dead-instance", lockTtl));
        Assert.True(await app.Redis.KeyTimeToLiveAsync(RedisKeyspace.LockKey(key)) > TimeSpan.Zero, "the dead owner's lock must still be held when the read starts");

        var before = app.Api.Sql.Count;
        var response = await app.Anonymous().GetOk("/api/products/204");

        Assert.Equal("MISS", response.CacheHeader());
        Assert.Equal(1, app.Api.Sql.Count - before);
        // It loaded only after the dead owner's lock expired (1 s), and long before its own LockWait (30 s) ran out.
        Assert.InRange(sinceLock.Elapsed.TotalMilliseconds, lockTtl.TotalMilliseconds - 50, 10_000);
        // The new owner stores the value and releases its lock in one script, off the response's critical path.
        for (var i = 0; i < 100 && await app.Redis.KeyExistsAsync(RedisKeyspace.LockKey(key)); i++)
            await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.False(await app.Redis.KeyExistsAsync(RedisKeyspace.LockKey(key)));
        Assert.True(await app.Redis.KeyExistsAsync(key));
    }
}
