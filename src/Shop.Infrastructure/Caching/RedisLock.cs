using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Stampede lock and fill lease in one: <c>SET key:lock token NX PX ttl</c>. The owner loads from the database and
/// stores the value only while it still holds the lock, so the lock doubles as a lease: an invalidation or a
/// write-through deletes it, and a load that read the database before that write can no longer store its older
/// value. Guarantees: only the owner (holder of the random token) releases it, by compare-and-delete in Lua; a
/// crashed owner's lock expires after its TTL; value, lock and group key share a hash tag, so every script
/// touches one Redis Cluster slot. Does not: fence a paused owner whose lock expired (the cost is one more load).
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

    /// <summary>
    /// Stores the loaded value and releases the lock, only if the lock is still ours (else an invalidation revoked
    /// the lease: the value is older than the database, so it is dropped). KEYS[3], when given, is the group set
    /// that lists the key for group invalidation. Returns 1 if stored.
    /// </summary>
    private const string SetIfLeaseHeldScript = """
        if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        redis.call('DEL', KEYS[2])
        if KEYS[3] then
          redis.call('SADD', KEYS[3], KEYS[1])
          if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[3], ARGV[3]) end
        end
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

    public static Task<RedisResult> SetIfLeaseHeldAsync(IDatabaseAsync db, string key, string token, byte[] value, TimeSpan ttl, string? group) =>
        db.ScriptEvaluateAsync(SetIfLeaseHeldScript,
            group is null ? [key, RedisKeyspace.LockKey(key)] : [key, RedisKeyspace.LockKey(key), group],
            [token, value, (long)ttl.TotalMilliseconds]);

    /// <summary>Takes the lock without reading the value (batch fills take their leases this way, pipelined).</summary>
    public static Task<bool> AcquireAsync(IDatabaseAsync db, string key, string token, TimeSpan ttl) =>
        db.StringSetAsync(RedisKeyspace.LockKey(key), token, ttl, When.NotExists);
}
