using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Stampede lock and fill lease in one: <c>SET key:lock token NX PX ttl</c>. The owner loads from the database and
/// stores the value only while it still holds the lock, so the lock doubles as a lease: an invalidation or a
/// write-through deletes it, and a load that read the database before that write can no longer store its older
/// value. Guarantees: only the owner (holder of the random token) releases it, by compare-and-delete in Lua; a
/// crashed owner's lock expires after its TTL; value and lock share a hash tag, so every script
/// touches one Redis Cluster slot. Does not: fence a paused owner whose lock expired (the cost is one more load).
/// </summary>
public static class RedisLock
{
    private static readonly string GetOrLockScript = EmbeddedLua.Load("Caching.get-or-lock.lua");
    private static readonly string ReleaseScript = EmbeddedLua.Load("Caching.release-lock.lua");
    private static readonly string SetIfLeaseHeldScript = EmbeddedLua.Load("Caching.set-if-lease-held.lua");

    public readonly record struct Attempt(RedisValue Value, bool Acquired);

    /// <summary>Returns the cached value if present; otherwise tries to take the lock (<see cref="Attempt.Acquired"/>).</summary>
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

    /// <summary>Stores the value and releases the lock only while the lease is ours (else a write revoked it); 1 if stored.</summary>
    public static Task<RedisResult> SetIfLeaseHeldAsync(IDatabaseAsync db, string key, string token, byte[] value, TimeSpan ttl) =>
        db.ScriptEvaluateAsync(SetIfLeaseHeldScript, [key, RedisKeyspace.LockKey(key)], [token, value, (long)ttl.TotalMilliseconds]);

    /// <summary>Takes the lock without reading the value (batch fills take their leases this way, pipelined).</summary>
    public static Task<bool> AcquireAsync(IDatabaseAsync db, string key, string token, TimeSpan ttl) =>
        db.StringSetAsync(RedisKeyspace.LockKey(key), token, ttl, When.NotExists);
}
