using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Write-through with compare-and-set. After the database commit, the new value is stored only if Redis holds
/// nothing or an older version, in one Lua script; the key's fill lease is revoked in the same script. So two
/// concurrent writers can never leave Redis holding the older value (the classic write-through race), and a
/// cache-aside load that read the row before this write cannot store it afterwards. Guarantees: Redis never goes
/// back in version for this key. Does not: survive Redis being down at write time (the key is then invalidated
/// later by the retry of <see cref="CacheInvalidationBus"/>, or expires).
/// </summary>
public static class WriteThrough
{
    private const string CompareAndSetScript = """
        redis.call('DEL', KEYS[2])
        local current = redis.call('GET', KEYS[1])
        if current then
          local version = tonumber(string.sub(current, 2, 20))
          if version and version >= tonumber(ARGV[2]) then return 0 end
        end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
        return 1
        """;

    /// <summary>Returns true if stored, false if Redis already had this version or a newer one.</summary>
    public static async Task<bool> CompareAndSetAsync(IDatabaseAsync db, string key, byte[] value, long version, TimeSpan ttl) =>
        (long)await db.ScriptEvaluateAsync(CompareAndSetScript,
            [key, RedisKeyspace.LockKey(key)], [value, version, (long)ttl.TotalMilliseconds]) == 1;
}
