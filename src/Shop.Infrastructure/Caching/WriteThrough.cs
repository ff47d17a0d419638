using Microsoft.Extensions.Options;
using Shop.Application.Abstractions;
using Shop.Application.Caching;
using Shop.Infrastructure.Observability;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Write-through with compare-and-set (the <see cref="IWriteThroughCache"/> port). After the database commit, the new
/// value is stored only if Redis holds nothing or an older version, in one Lua script (<c>Lua/compare-and-set.lua</c>)
/// that also revokes the key's fill lease; the message that drops the key from the other instances' L1 leaves in the
/// same pipelined round trip. This instance's L1 is dropped first and then holds the new value if Redis took it.
/// Guarantees: two concurrent writers can never leave Redis holding the older value (the classic write-through race),
/// a cache-aside load that read the row before this write cannot store it afterwards, and Redis never goes back in
/// version for this key, even after the entry is deleted (explicit invalidation) or evicted: a version floor
/// <c>&lt;key&gt;:ver</c> (same hash tag, the entry's TTL) keeps the highest version written, and both this script and
/// the fill (<c>Lua/set-if-lease-held.lua</c>) refuse anything older. Does not: survive Redis being down at write
/// time (the key is then invalidated later by the <see cref="InvalidationRetries"/>, or expires); protect beyond the
/// floor's TTL (a writer delayed longer than an entry's TTL could store an older version once both have expired).
/// </summary>
public sealed class WriteThrough(
    L1Cache l1, FailOpenRedis redis, RedisKeyspace keyspace, CacheEntryCodec codec, InvalidationPublisher publisher,
    InvalidationRetries retries, ShopMetrics metrics, IOptions<CacheOptions> options) : IWriteThroughCache
{
    private static readonly string CompareAndSetScript = EmbeddedLua.Load("Caching.compare-and-set.lua");

    /// <summary>The key's version floor (the suffix is also spelled in <c>Lua/set-if-lease-held.lua</c>).</summary>
    public static string FloorKey(string physicalKey) => physicalKey + ":ver";

    /// <summary>Returns true if stored, false if Redis already had this version or a newer one, or a newer floor.</summary>
    private static async Task<bool> CompareAndSetAsync(IDatabaseAsync db, string key, byte[] value, long version, TimeSpan ttl) =>
        (long)await db.ScriptEvaluateAsync(CompareAndSetScript,
            [key, RedisKeyspace.LockKey(key), FloorKey(key)], [value, version, (long)ttl.TotalMilliseconds]) == 1;

    public async ValueTask WriteThroughAsync<T>(CacheKey key, T value, long version, CancellationToken cancellationToken)
        where T : class
    {
        if (!options.Value.Enabled) return;
        var physical = keyspace.Key(key);
        l1.Invalidate([key.Value]);
        var epoch = l1.Epoch;
        var (bytes, ttl) = codec.Encode(key, value, version);
        var message = publisher.Message([key.Value], []);
        var (ok, stored) = await redis.TryAsync(async db =>
        {
            Task<bool>? cas = null;
            await RedisPipeline.RunAsync(db, batch =>
                [cas = CompareAndSetAsync(batch, physical, bytes, version, ttl), publisher.Publish(batch, message)]);
            return await cas!;
        });
        if (!ok) retries.Enqueue(message); // Redis unreachable: delete it there once it is back
        else if (stored) l1.Set(key.Value, value, absent: false, epoch);
        metrics.WroteThrough(key.Value, !ok ? "redis_unreachable" : stored ? "stored" : "refused_older");
    }
}
