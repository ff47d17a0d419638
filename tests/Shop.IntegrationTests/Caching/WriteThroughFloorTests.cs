using System.Net;
using System.Text;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.PageViews;

namespace Shop.IntegrationTests.Caching;

/// <summary>
/// Write-through never goes back in version, even after the entry is deleted (explicit invalidation) or evicted: the
/// version floor <c>&lt;key&gt;:ver</c> outlives the entry, and both the compare-and-set and the fill refuse older versions.
/// </summary>
public sealed class WriteThroughFloorTests(ShopApp app) : IClassFixture<ShopApp>
{
    private string Key(int userId) => $"{app.KeyPrefix}:v1:{{user:{userId}}}:profile";

    private static long VersionOf(byte[] entry) => long.Parse(Encoding.ASCII.GetString(entry, 1, 19), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_delayed_older_write_through_after_the_entry_was_deleted_is_refused_and_readers_get_the_database_version()
    {
        var gate = new DatabaseGate();
        var a = app.StartInstance(gate: gate);
        var b = app.StartInstance();
        await app.AsUser(36).GetOk("/api/users/36");                       // cached at version 1

        gate.ArmNextSave();
        var delayed = app.AsAdmin(a).Put("/api/users/36/plan", new { plan = "pro" });      // commits version 2, then pauses
        await gate.Reached;
        await app.AsAdmin(b).Put("/api/users/36/plan", new { plan = "enterprise" }).ShouldBe(HttpStatusCode.OK); // version 3, written through
        var floorTtl = await app.Redis.KeyTimeToLiveAsync(WriteThrough.FloorKey(Key(36)));
        Assert.Equal(3, (long)await app.Redis.StringGetAsync(WriteThrough.FloorKey(Key(36))));
        Assert.NotNull(floorTtl);                                           // volatile: evictable like every cache key
        Assert.True(floorTtl >= await app.Redis.KeyTimeToLiveAsync(Key(36)) - TimeSpan.FromSeconds(1), "the floor outlives the entry");

        Assert.True(await app.Redis.KeyDeleteAsync(Key(36)));               // an eviction (or an invalidation) of version 3
        gate.Release();                                                     // the older writer now writes version 2 through
        await (await delayed).ShouldBe(HttpStatusCode.OK);

        Assert.False(await app.Redis.KeyExistsAsync(Key(36)));              // refused: Redis never holds version 2
        var c = app.StartInstance();                                        // no L1: what a reader gets comes from Redis or PostgreSQL
        var read = await app.AsUser(36, c).GetOk("/api/users/36");
        Assert.Equal("MISS", read.CacheHeader());
        Assert.Contains("\"enterprise\"", (await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ToLowerInvariant());
        await Eventually.TrueAsync(async () => await app.Redis.KeyExistsAsync(Key(36)), "the read filled the entry");
        Assert.Equal(3, VersionOf((byte[])(await app.Redis.StringGetAsync(Key(36)))!));
    }

    [Fact]
    public async Task A_fill_carrying_a_version_older_than_the_floor_is_dropped_even_with_its_lease()
    {
        var key = Key(37);
        await app.Redis.StringSetAsync(WriteThrough.FloorKey(key), 5, TimeSpan.FromMinutes(1));
        await app.Redis.StringSetAsync(RedisKeyspace.LockKey(key), "token", TimeSpan.FromSeconds(10));
        byte[] Entry(long version) => Encoding.ASCII.GetBytes("1" + version.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "{}");

        Assert.Equal(0, (long)await RedisLock.SetIfLeaseHeldAsync(app.Redis, key, "token", Entry(4), TimeSpan.FromMinutes(1)));
        Assert.False(await app.Redis.KeyExistsAsync(key));
        Assert.False(await app.Redis.KeyExistsAsync(RedisKeyspace.LockKey(key))); // the lease is released all the same

        await app.Redis.StringSetAsync(RedisKeyspace.LockKey(key), "token", TimeSpan.FromSeconds(10));
        Assert.Equal(1, (long)await RedisLock.SetIfLeaseHeldAsync(app.Redis, key, "token", Entry(5), TimeSpan.FromMinutes(1)));
        Assert.Equal(5, VersionOf((byte[])(await app.Redis.StringGetAsync(key))!));
    }
}
