using System.Diagnostics;
using Microsoft.Extensions.Options;
using Shop.Application.Abstractions;
using Shop.Application.Caching;
using Shop.Infrastructure.Observability;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Cache-aside for one key (the <see cref="ICacheAside"/> port): L1 (this process's memory), then L2 (Redis), then one
/// load (single-flight in-process, <see cref="RedisLock"/> across instances) that fills both.
/// Guarantees: a hit never touches PostgreSQL; concurrent misses of one key cause one load per deployment unless the
/// lock wait (<c>Cache:LockWait</c>) runs out; a load that read the database before a write never stores its older
/// value after that write (fill lease in Redis, epoch in L1); Redis faults degrade to L1 + PostgreSQL, never errors.
/// Does not: keep other instances' L1 coherent by itself (<see cref="InvalidationSubscriber"/> does).
/// A singleton: nothing is carried from one call to the next.
/// </summary>
public sealed class CacheAside(
    L1Cache l1,
    FailOpenRedis redis,
    SingleFlight singleFlight,
    RedisKeyspace keyspace,
    CacheEntryCodec codec,
    NegativeCacheBudget negatives,
    ShopMetrics metrics,
    TimeProvider clock,
    IOptions<CacheOptions> options) : ICacheAside
{
    private readonly CacheOptions _options = options.Value;

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
        var (redisOk, raw) = await redis.TryAsync(db => db.StringGetAsync(physical));
        if (!raw.IsNull) return Hit(key, codec.Remember<T>(key, raw, epoch), CacheOutcome.L2);

        var loaded = await singleFlight.RunAsync(physical, () => LoadAsync(key, physical, ct => load(state, ct), redisOk), cancellationToken);
        return Hit(key, loaded.Value, loaded.Outcome);
    }

    private CacheResult<T> Hit<T>(CacheKey key, T? value, CacheOutcome outcome)
        where T : class
    {
        metrics.Lookup(key, value is null, outcome);
        return new CacheResult<T>(value, outcome);
    }

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
            if (redisOk && negatives.AllowsRedisWrite(value)) redis.FireAndForget(db => { var (bytes, ttl) = codec.Encode(key, value); return db.StringSetAsync(physical, bytes, ttl); });
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
        if (!attempt.Value.IsNull) return new Loaded<T>(codec.Remember<T>(key, attempt.Value, epoch), CacheOutcome.L2);

        T? loaded;
        var started = Stopwatch.GetTimestamp();
        try
        {
            loaded = await load(ct);
            metrics.Loaded(key.EntryType, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch
        {
            if (attempt.Acquired) redis.FireAndForget(db => RedisLock.ReleaseAsync(db, physical, token));
            throw;
        }

        l1.Set(key.Value, loaded, loaded is null, epoch, key.Group);
        if (attempt.Acquired && !negatives.AllowsRedisWrite(loaded))
        {
            redis.FireAndForget(db => RedisLock.ReleaseAsync(db, physical, token)); // over the absent budget: L1 only
        }
        else if (attempt.Acquired)
        {
            // Off the response's critical path: store only while our lease holds, and release the lock.
            var (bytes, ttl) = codec.Encode(key, loaded);
            var group = codec.GroupOf(key);
            redis.FireAndForget(db => RedisLock.SetIfLeaseHeldAsync(db, physical, token, bytes, ttl, group));
        }
        return new Loaded<T>(loaded, CacheOutcome.Miss);
    }

    /// <summary>Polls with backoff (2 ms doubling to 50 ms) until the value appears, the lock frees up, or LockWait ends.</summary>
    private async Task<RedisLock.Attempt> WaitForValueOrLockAsync(string physical, string token)
    {
        var started = clock.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(2);
        while (clock.GetElapsedTime(started) < _options.LockWait)
        {
            await Task.Delay(delay, clock);
            var (ok, attempt) = await redis.TryAsync(db => RedisLock.GetOrAcquireAsync(db, physical, token, _options.LockTtl));
            if (!ok) break;
            if (attempt.Acquired || !attempt.Value.IsNull) return attempt;
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 50));
        }
        return default;
    }
}
