using Microsoft.Extensions.Options;
using Shop.Application.Abstractions;
using Shop.Application.Caching;
using Shop.Infrastructure.Caching.Serialization;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// The two-level cache behind the <see cref="ICache"/> port. A read tries L1 (this process's memory), then L2
/// (Redis), then loads once (single-flight in-process, <see cref="RedisLock"/> across instances) and fills both.
/// Guarantees: a hit never touches PostgreSQL; concurrent misses of one key cause one load per deployment
/// unless the lock wait (<c>Cache:LockWait</c>) runs out; Redis faults degrade to L1 + PostgreSQL, never errors.
/// Does not: keep L1s of different instances coherent by itself (that is invalidation's job; until then an L1
/// entry lives at most <c>Cache:L1Ttl</c>). Scoped: it keeps one request's prefetched values.
/// </summary>
public sealed class TwoLevelCache(
    L1Cache l1,
    FailOpenRedis redis,
    SingleFlight singleFlight,
    RedisKeyspace keyspace,
    ICacheSerializer serializer,
    IOptions<CacheOptions> options) : ICache
{
    private readonly CacheOptions _options = options.Value;
    private Dictionary<string, RedisValue>? _prefetched;

    private sealed record Loaded<T>(T? Value, CacheOutcome Outcome);

    public async ValueTask<CacheResult<T>> GetOrLoadAsync<T>(CacheKey key, Func<CancellationToken, ValueTask<T?>> load, CancellationToken cancellationToken)
        where T : class
    {
        if (!_options.Enabled) return new CacheResult<T>(await load(cancellationToken), CacheOutcome.Miss);

        var physical = keyspace.Key(key);
        if (l1.TryGet(physical, out var entry)) return new CacheResult<T>(entry as T, CacheOutcome.L1);

        RedisValue raw;
        bool redisOk;
        if (_prefetched is not null && _prefetched.Remove(physical, out var prefetched)) (redisOk, raw) = (true, prefetched);
        else (redisOk, raw) = await redis.TryAsync(db => db.StringGetAsync(physical));

        if (!raw.IsNull) return new CacheResult<T>(Remember<T>(key, physical, raw), CacheOutcome.L2);

        var loaded = await singleFlight.RunAsync(physical, () => LoadAsync(key, physical, load, redisOk), cancellationToken);
        return new CacheResult<T>(loaded.Value, loaded.Outcome);
    }

    private async Task<Loaded<T>> LoadAsync<T>(CacheKey key, string physical, Func<CancellationToken, ValueTask<T?>> load, bool redisOk)
        where T : class
    {
        // A flight that just ended may have filled L1 after this caller looked (double-checked).
        if (l1.TryGet(physical, out var filled)) return new Loaded<T>(filled as T, CacheOutcome.L1);

        // The shared load runs for every waiting caller, so no single caller's cancellation may stop it.
        var ct = CancellationToken.None;
        if (!redisOk || !_options.StampedeLock)
        {
            var value = await load(ct);
            Store(key, physical, value);
            return new Loaded<T>(value, CacheOutcome.Miss);
        }

        var token = Guid.NewGuid().ToString("N");
        var (ok, attempt) = await redis.TryAsync(db => RedisLock.GetOrAcquireAsync(db, physical, token, _options.LockTtl));
        if (ok && !attempt.Acquired)
        {
            // Another instance holds the lock and is loading: wait (bounded) for its value. If the owner died, its
            // lock expires and we take it over; if the wait runs out, we load without the lock.
            attempt = attempt.Value.IsNull ? await WaitForValueOrLockAsync(physical, token) : attempt;
        }
        if (!attempt.Value.IsNull) return new Loaded<T>(Remember<T>(key, physical, attempt.Value), CacheOutcome.L2);

        T? loaded;
        try
        {
            loaded = await load(ct);
        }
        catch
        {
            if (attempt.Acquired) redis.FireAndForget(db => RedisLock.ReleaseAsync(db, physical, token));
            throw;
        }

        if (attempt.Acquired)
        {
            var (bytes, ttl) = Encode(key, loaded);
            l1.Set(physical, loaded, loaded is null);
            redis.FireAndForget(db => RedisLock.SetAndReleaseAsync(db, physical, token, bytes, ttl));
        }
        else
        {
            Store(key, physical, loaded);
        }
        return new Loaded<T>(loaded, CacheOutcome.Miss);
    }

    /// <summary>Polls with backoff (2 ms doubling to 50 ms) until the value appears, the lock frees up, or LockWait ends.</summary>
    private async Task<RedisLock.Attempt> WaitForValueOrLockAsync(string physical, string token)
    {
        var deadline = DateTime.UtcNow + _options.LockWait;
        var delay = TimeSpan.FromMilliseconds(2);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(delay);
            var (ok, attempt) = await redis.TryAsync(db => RedisLock.GetOrAcquireAsync(db, physical, token, _options.LockTtl));
            if (!ok) break;
            if (attempt.Acquired || !attempt.Value.IsNull) return attempt;
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 50));
        }
        return default;
    }

    public async ValueTask<CacheBatchResult<T>> GetManyAsync<T>(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
        where T : class
    {
        var found = new Dictionary<CacheKey, T?>(keys.Count);
        if (!_options.Enabled) return new CacheBatchResult<T>(found, CacheOutcome.Miss);

        var remote = new List<(CacheKey Key, string Physical)>(keys.Count);
        foreach (var key in keys)
        {
            var physical = keyspace.Key(key);
            if (l1.TryGet(physical, out var entry)) found[key] = entry as T;
            else remote.Add((key, physical));
        }
        if (remote.Count == 0) return new CacheBatchResult<T>(found, CacheOutcome.L1);

        var (ok, values) = await redis.TryAsync(db => MultiGetAsync(db, [.. remote.Select(r => (RedisKey)r.Physical)]));
        var fromRedis = false;
        if (ok)
        {
            for (var i = 0; i < remote.Count; i++)
            {
                if (values[i].IsNull) continue;
                found[remote[i].Key] = Remember<T>(remote[i].Key, remote[i].Physical, values[i]);
                fromRedis = true;
            }
        }
        return new CacheBatchResult<T>(found, fromRedis ? CacheOutcome.L2 : CacheOutcome.L1);
    }

    public void SetMany<T>(IReadOnlyList<KeyValuePair<CacheKey, T?>> entries)
        where T : class
    {
        if (!_options.Enabled || entries.Count == 0) return;
        var writes = new List<(string Key, byte[] Bytes, TimeSpan Ttl)>(entries.Count);
        foreach (var (key, value) in entries)
        {
            var physical = keyspace.Key(key);
            l1.Set(physical, value, value is null);
            var (bytes, ttl) = Encode(key, value);
            writes.Add((physical, bytes, ttl));
        }
        // One pipelined batch: all SETs leave in one flush, one round trip, and the response does not wait for it.
        redis.FireAndForget(db =>
        {
            var batch = db.CreateBatch();
            var sets = writes.Select(w => batch.StringSetAsync(w.Key, w.Bytes, w.Ttl)).ToArray();
            batch.Execute();
            return Task.WhenAll(sets);
        });
    }

    public async ValueTask PrefetchAsync(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
    {
        if (!_options.Enabled) return;
        var missing = keys.Select(keyspace.Key).Where(k => !l1.Contains(k)).ToArray();
        if (missing.Length == 0) return;
        var (ok, values) = await redis.TryAsync(db => MultiGetAsync(db, [.. missing.Select(k => (RedisKey)k)]));
        if (!ok) return;
        _prefetched ??= new Dictionary<string, RedisValue>(StringComparer.Ordinal);
        for (var i = 0; i < missing.Length; i++)
        {
            if (!values[i].IsNull) _prefetched[missing[i]] = values[i];
        }
    }

    /// <summary>
    /// One round trip for many keys: a single MGET on a standalone server; on Redis Cluster one MGET per hash slot,
    /// all sent in one pipelined batch (a cross-slot MGET would be refused).
    /// </summary>
    private static async Task<RedisValue[]> MultiGetAsync(IDatabase db, RedisKey[] keys)
    {
        var multiplexer = db.Multiplexer;
        if (keys.Length == 1) return [await db.StringGetAsync(keys[0])];
        if (!IsCluster(multiplexer)) return await db.StringGetAsync(keys);

        var groups = keys.Select((k, i) => (Key: k, Index: i)).GroupBy(x => multiplexer.HashSlot(x.Key)).ToArray();
        var batch = db.CreateBatch();
        var gets = groups.Select(g => batch.StringGetAsync([.. g.Select(x => x.Key)])).ToArray();
        batch.Execute();
        var results = new RedisValue[keys.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            var values = await gets[g];
            var j = 0;
            foreach (var x in groups[g]) results[x.Index] = values[j++];
        }
        return results;
    }

    private static bool IsCluster(IConnectionMultiplexer multiplexer) =>
        multiplexer.GetEndPoints().Length > 0 && multiplexer.GetServer(multiplexer.GetEndPoints()[0]).ServerType == ServerType.Cluster;

    private T? Remember<T>(CacheKey key, string physical, RedisValue raw)
        where T : class
    {
        var (value, _) = CacheEnvelope.Decode<T>(serializer, (ReadOnlyMemory<byte>)raw);
        l1.Set(physical, value, value is null);
        return value;
    }

    private void Store<T>(CacheKey key, string physical, T? value)
        where T : class
    {
        l1.Set(physical, value, value is null);
        var (bytes, ttl) = Encode(key, value);
        redis.FireAndForget(db => db.StringSetAsync(physical, bytes, ttl));
    }

    private (byte[] Bytes, TimeSpan Ttl) Encode<T>(CacheKey key, T? value)
        where T : class =>
        (CacheEnvelope.Encode(serializer, value, version: 0),
         TtlJitter.Apply(value is null ? _options.NegativeTtl : _options.TtlFor(key.EntryType), _options.Jitter));
}
