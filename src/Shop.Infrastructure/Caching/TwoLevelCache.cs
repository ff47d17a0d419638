using Microsoft.Extensions.Options;
using Shop.Application.Abstractions;
using Shop.Application.Caching;
using Shop.Infrastructure.Caching.Serialization;
using Shop.Infrastructure.Observability;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// The two-level cache behind the <see cref="ICache"/> port. A read tries L1 (this process's memory), then L2
/// (Redis), then loads once (single-flight in-process, <see cref="RedisLock"/> across instances) and fills both.
/// Guarantees: a hit never touches PostgreSQL; concurrent misses of one key cause one load per deployment
/// unless the lock wait (<c>Cache:LockWait</c>) runs out; a load that read the database before a write never
/// stores its older value after that write (fill lease in Redis, epoch in L1); Redis faults degrade to L1 +
/// PostgreSQL, never errors. Does not: keep other instances' L1 coherent by itself (<see cref="CacheInvalidationBus"/>
/// does). Scoped: it keeps one request's prefetched values.
/// </summary>
public sealed class TwoLevelCache(
    L1Cache l1,
    FailOpenRedis redis,
    SingleFlight singleFlight,
    RedisKeyspace keyspace,
    CacheInvalidationBus bus,
    ICacheSerializer serializer,
    ShopMetrics metrics,
    IOptions<CacheOptions> options) : ICache
{
    private readonly CacheOptions _options = options.Value;
    private Dictionary<string, RedisValue>? _prefetched;
    private Dictionary<string, string>? _leases;
    private long? _batchEpoch;

    private sealed record Loaded<T>(T? Value, CacheOutcome Outcome);

    public ValueTask<CacheResult<T>> GetOrLoadAsync<T, TState>(
        CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T?>> load, CancellationToken cancellationToken)
        where T : class
    {
        // The L1 hit path: synchronous, one dictionary lookup on the logical key, no allocation. It stays out of the
        // async method below on purpose: that method's lambdas capture state and load, and C# allocates their closure
        // when the method is entered, hit or not.
        if (_options.Enabled && l1.TryGet(key.Value, out var entry)) return new(Hit(key, entry as T, CacheOutcome.L1));
        return GetOrLoadSlowAsync(key, state, load, cancellationToken);
    }

    private async ValueTask<CacheResult<T>> GetOrLoadSlowAsync<T, TState>(
        CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T?>> load, CancellationToken cancellationToken)
        where T : class
    {
        if (!_options.Enabled) return new CacheResult<T>(await load(state, cancellationToken), CacheOutcome.Miss);

        var physical = keyspace.Key(key);
        var epoch = l1.Epoch;
        RedisValue raw;
        bool redisOk;
        if (_prefetched is not null && _prefetched.Remove(physical, out var prefetched)) (redisOk, raw) = (true, prefetched);
        else (redisOk, raw) = await redis.TryAsync(db => db.StringGetAsync(physical));

        if (!raw.IsNull) return Hit(key, Remember<T>(key, physical, raw, epoch), CacheOutcome.L2);

        var loaded = await singleFlight.RunAsync(physical, () => LoadAsync(key, physical, ct => load(state, ct), redisOk), cancellationToken);
        return Hit(key, loaded.Value, loaded.Outcome);
    }

    private CacheResult<T> Hit<T>(CacheKey key, T? value, CacheOutcome outcome)
        where T : class
    {
        Record(key, value is null, outcome);
        return new CacheResult<T>(value, outcome);
    }

    private void Record(CacheKey key, bool absent, CacheOutcome outcome) =>
        metrics.Lookup(
            outcome switch { CacheOutcome.L1 => "l1", CacheOutcome.L2 => "l2", _ => "db" },
            outcome == CacheOutcome.Miss ? "miss" : absent ? "negative_hit" : "hit",
            key.EntryType);

    private async Task<Loaded<T>> LoadAsync<T>(CacheKey key, string physical, Func<CancellationToken, ValueTask<T?>> load, bool redisOk)
        where T : class
    {
        // A flight that just ended may have filled L1 after this caller looked (double-checked).
        if (l1.TryGet(key.Value, out var filled)) return new Loaded<T>(filled as T, CacheOutcome.L1);

        // The shared load runs for every waiting caller, so no single caller's cancellation may stop it.
        var ct = CancellationToken.None;
        var epoch = l1.Epoch;
        if (!redisOk || !_options.StampedeLock)
        {
            var value = await load(ct);
            l1.Set(key.Value, value, value is null, epoch, key.Group);
            // Without a lease (protection off), a plain SET: a demo mode, open to the stale-fill race.
            if (redisOk) redis.FireAndForget(db => { var (bytes, ttl) = Encode(key, value); return db.StringSetAsync(physical, bytes, ttl); });
            return new Loaded<T>(value, CacheOutcome.Miss);
        }

        var token = Guid.NewGuid().ToString("N");
        var (ok, attempt) = await redis.TryAsync(db => RedisLock.GetOrAcquireAsync(db, physical, token, _options.LockTtl));
        if (ok && !attempt.Acquired && attempt.Value.IsNull)
        {
            // Another instance holds the lock and is loading: wait (bounded) for its value. If the owner died, its
            // lock expires and we take it over; if the wait runs out, we load but do not store in Redis.
            metrics.StampedeWait();
            attempt = await WaitForValueOrLockAsync(physical, token);
        }
        if (!attempt.Value.IsNull) return new Loaded<T>(Remember<T>(key, physical, attempt.Value, epoch), CacheOutcome.L2);

        T? loaded;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            loaded = await load(ct);
            metrics.Loaded(key.EntryType, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch
        {
            if (attempt.Acquired) redis.FireAndForget(db => RedisLock.ReleaseAsync(db, physical, token));
            throw;
        }

        l1.Set(key.Value, loaded, loaded is null, epoch, key.Group);
        if (attempt.Acquired)
        {
            // Off the response's critical path: store only while our lease holds, and release the lock.
            var (bytes, ttl) = Encode(key, loaded);
            var group = GroupOf(key);
            redis.FireAndForget(db => RedisLock.SetIfLeaseHeldAsync(db, physical, token, bytes, ttl, group));
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

        var epoch = l1.Epoch;
        var remote = new List<(CacheKey Key, string Physical)>(keys.Count);
        foreach (var key in keys)
        {
            if (l1.TryGet(key.Value, out var entry))
            {
                found[key] = entry as T;
                Record(key, entry is null, CacheOutcome.L1);
            }
            else
            {
                remote.Add((key, keyspace.Key(key)));
            }
        }
        if (remote.Count == 0) return new CacheBatchResult<T>(found, CacheOutcome.L1);

        var (ok, values) = await redis.TryAsync(db => MultiGetAsync(db, [.. remote.Select(r => (RedisKey)r.Physical)]));
        var fromRedis = false;
        var missing = new List<string>(remote.Count);
        for (var i = 0; i < remote.Count; i++)
        {
            if (!ok || values[i].IsNull)
            {
                missing.Add(remote[i].Physical);
                Record(remote[i].Key, false, CacheOutcome.Miss);
                continue;
            }
            var value = Remember<T>(remote[i].Key, remote[i].Physical, values[i], epoch);
            found[remote[i].Key] = value;
            Record(remote[i].Key, value is null, CacheOutcome.L2);
            fromRedis = true;
        }
        if (ok) await LeaseAsync(missing, epoch);
        return new CacheBatchResult<T>(found, fromRedis ? CacheOutcome.L2 : CacheOutcome.L1);
    }

    /// <summary>Takes the fill leases of a batch's missing keys in one pipelined round trip (before the database read).</summary>
    private async Task LeaseAsync(List<string> physicalKeys, long epoch)
    {
        _batchEpoch = epoch;
        if (physicalKeys.Count == 0 || !_options.StampedeLock) return;
        var token = Guid.NewGuid().ToString("N");
        var (ok, acquired) = await redis.TryAsync(async db =>
        {
            var batch = db.CreateBatch();
            var sets = physicalKeys.Select(k => RedisLock.AcquireAsync(batch, k, token, _options.LockTtl)).ToArray();
            batch.Execute();
            return await Task.WhenAll(sets);
        });
        if (!ok) return;
        _leases ??= new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < physicalKeys.Count; i++)
        {
            if (acquired[i]) _leases[physicalKeys[i]] = token;
        }
    }

    public void SetMany<T>(IReadOnlyList<KeyValuePair<CacheKey, T?>> entries)
        where T : class
    {
        if (!_options.Enabled || entries.Count == 0) return;
        var epoch = _batchEpoch ?? l1.Epoch;
        var fills = new List<(string Key, string Token, byte[] Bytes, TimeSpan Ttl, string? Group)>(entries.Count);
        foreach (var (key, value) in entries)
        {
            var physical = keyspace.Key(key);
            l1.Set(key.Value, value, value is null, epoch, key.Group);
            if (_leases is null || !_leases.Remove(physical, out var token)) continue; // no lease: someone else fills it
            var (bytes, ttl) = Encode(key, value);
            fills.Add((physical, token, bytes, ttl, GroupOf(key)));
        }
        if (fills.Count == 0) return;
        // One pipelined batch, off the response's critical path; each fill is stored only while its lease holds.
        redis.FireAndForget(db =>
        {
            var batch = db.CreateBatch();
            var sets = fills.Select(f => RedisLock.SetIfLeaseHeldAsync(batch, f.Key, f.Token, f.Bytes, f.Ttl, f.Group)).ToArray();
            batch.Execute();
            return Task.WhenAll(sets);
        });
    }

    public async ValueTask InvalidateAsync(CacheInvalidation invalidation, CancellationToken cancellationToken)
    {
        if (!_options.Enabled) return;
        await bus.InvalidateAsync([.. invalidation.Keys.Select(k => k.Value)], invalidation.Groups);
    }

    public async ValueTask WriteThroughAsync<T>(CacheKey key, T value, long version, CancellationToken cancellationToken)
        where T : class
    {
        if (!_options.Enabled) return;
        var physical = keyspace.Key(key);
        l1.Invalidate([key.Value], []);
        var epoch = l1.Epoch;
        var (bytes, ttl) = Encode(key, value, version);
        var (ok, stored) = await redis.TryAsync(async db =>
        {
            // Compare-and-set and the message to the other instances leave in one pipelined round trip.
            var batch = db.CreateBatch();
            var cas = WriteThrough.CompareAndSetAsync(batch, physical, bytes, version, ttl);
            var publish = bus.PublishAsync(batch, [key.Value]);
            batch.Execute();
            await publish;
            return await cas;
        });
        if (!ok) bus.Enqueue(bus.Message([key.Value])); // Redis unreachable: delete it there once it is back
        else if (stored) l1.Set(key.Value, value, absent: false, epoch);
    }

    public async ValueTask PrefetchAsync(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
    {
        if (!_options.Enabled) return;
        var missing = keys.Where(k => !l1.Contains(k.Value)).Select(keyspace.Key).ToArray();
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
    private async Task<RedisValue[]> MultiGetAsync(IDatabase db, RedisKey[] keys)
    {
        var multiplexer = db.Multiplexer;
        if (keys.Length == 1) return [await db.StringGetAsync(keys[0])];
        if (!redis.IsCluster) return await db.StringGetAsync(keys);

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

    private T? Remember<T>(CacheKey key, string physical, RedisValue raw, long epoch)
        where T : class
    {
        var (value, _) = CacheEnvelope.Decode<T>(serializer, (ReadOnlyMemory<byte>)raw);
        l1.Set(key.Value, value, value is null, epoch, key.Group);
        return value;
    }

    private string? GroupOf(CacheKey key) => key.Group is null ? null : keyspace.Group(key.Group);

    private (byte[] Bytes, TimeSpan Ttl) Encode<T>(CacheKey key, T? value, long? version = null)
        where T : class =>
        (CacheEnvelope.Encode(serializer, value, version ?? (value as IVersioned)?.Version ?? 0),
         TtlJitter.Apply(value is null ? _options.NegativeTtl : _options.TtlFor(key.EntryType), _options.Jitter));
}
