using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Distributed stampede lock: <c>SET lock token NX PX ttl</c>. Guarantees: only the owner (the caller that holds
/// the random token) can release it, with a compare-and-delete in one Lua script; a crashed owner's lock expires
/// after its TTL. Does not: fence a paused owner whose lock expired meanwhile (the worst case is a second database
/// load, never a wrong value, since every writer stores a value it read itself). The value key and the lock key
/// share a hash tag, so each script touches one Redis Cluster slot.
/// </summary>
public static class RedisLock
{
    /// <summary>Returns the cached value if present; otherwise tries to take the lock: 1 = taken, 0 = held by another.</summary>
    private const string GetOrLockScript = """
        local value = redis.call('GET', KEYS[1])
        if value then return value end
        if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>Stores the loaded value and releases the lock (if still ours) in one round trip.</summary>
    private const string SetAndReleaseScript = """
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
        return 1
        """;

    public readonly record struct Attempt(RedisValue Value, bool Acquired);

    public static async Task<Attempt> GetOrAcquireAsync(IDatabaseAsync db, string key, string token, TimeSpan ttl)
    {
        var result = await db.ScriptEvaluateAsync(GetOrLockScript,
            [key, RedisKeyspace.LockKey(key)], [token, (long)ttl.TotalMilliseconds]);
        return result.Resp2Type == ResultType.BulkString
            ? new Attempt((RedisValue)result, false)
            : new Attempt(RedisValue.Null, (long)result == 1);
    }

    public static Task<RedisResult> ReleaseAsync(IDatabaseAsync db, string key, string token) =>
        db.ScriptEvaluateAsync(ReleaseScript, [RedisKeyspace.LockKey(key)], [token]);

    public static Task<RedisResult> SetAndReleaseAsync(IDatabaseAsync db, string key, string token, byte[] value, TimeSpan ttl) =>
        db.ScriptEvaluateAsync(SetAndReleaseScript,
            [key, RedisKeyspace.LockKey(key)], [token, value, (long)ttl.TotalMilliseconds]);

    /// <summary>Only for tests: take a lock with a given token.</summary>
    public static Task<bool> AcquireAsync(IDatabaseAsync db, string key, string token, TimeSpan ttl) =>
        db.StringSetAsync(RedisKeyspace.LockKey(key), token, ttl, When.NotExists);
}
