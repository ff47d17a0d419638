using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Application.Abstractions;
using Shop.Application.Caching;
using Shop.Application.Common;
using Shop.Infrastructure.Observability;
using Shop.Infrastructure.Persistence;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Cache-aside for one key (the <see cref="ICacheAside"/> port): L1 (this process's memory), then L2 (Redis), then one
/// load (single-flight in-process, <see cref="RedisLock"/> across instances) that fills both.
/// Guarantees: a hit never touches PostgreSQL; concurrent misses of one key cause one load per deployment unless the
/// lock wait (<c>Cache:LockWait</c>) runs out; a load that read the database before a write never stores its older
/// value after that write (fill lease in Redis, epoch in L1); Redis faults degrade to L1 + PostgreSQL, never errors.
/// Fail-safe: an entry stays in Redis <c>Cache:FailSafeMaxStaleness</c> past its TTL. When the load fails (PostgreSQL
/// down, <c>Cache:LoadTimeout</c>, bulkhead full) or takes longer than <c>Cache:FactorySoftTimeout</c>, a read that has
/// a stale copy (Redis, or <see cref="FailSafeCopies"/> when Redis is down too, or has none when the load fails) answers it as <see cref="CacheOutcome.Stale"/>
/// with its age; the load goes on in the background and refreshes the cache. With no copy: <see cref="ServiceUnavailableException"/>
/// (503 + Retry-After), within LoadTimeout at worst. A hit near the end of its TTL is refreshed ahead (<see cref="RefreshAhead"/>).
/// Does not: keep other instances' L1 coherent by itself (<see cref="InvalidationSubscriber"/> does); serve a stale
/// "absent"; answer stale when caching is off.
/// A singleton: nothing is carried from one call to the next.
/// </summary>
public sealed class CacheAside(
    L1Cache l1,
    FailOpenRedis redis,
    SingleFlight singleFlight,
    RedisKeyspace keyspace,
    CacheEntryCodec codec,
    FailSafeCopies copies,
    LoadBulkhead bulkhead,
    RefreshAhead refreshAhead,
    IServiceScopeFactory scopes,
    NegativeCacheBudget negatives,
    ShopMetrics metrics,
    TimeProvider clock,
    IOptions<CacheOptions> options) : ICacheAside
{
    private readonly CacheOptions _options = options.Value;

    private sealed record Loaded<T>(T? Value, CacheOutcome Outcome);

    /// <summary>A value past its TTL, kept for fail-safe answers.</summary>
    private readonly record struct StaleCopy(object? Value, DateTimeOffset LoadedAt);

    public ValueTask<CacheResult<T>> GetOrLoadAsync<T, TState>(
        CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T?>> load, CancellationToken cancellationToken)
        where T : class
    {
        // The L1 hit path: synchronous, one dictionary lookup on the logical key, no allocation. It stays out of the
        // async method below on purpose: even a completed async call costs its state machine's setup and copies.
        if (_options.Enabled && l1.TryGet(key.Value, out var entry)) return new(Hit(key, entry as T, CacheOutcome.L1));
        return GetOrLoadSlowAsync(key, state, load, cancellationToken);
    }

    // A Redis hit completes this method after its GET comes back, so its state machine would be boxed on every hit:
    // pooled instead. It has no lambda of its own (one would make C# allocate their closure on entry, hit or not): the
    // loader is built in LoadOrStaleAsync and StartRefresh, which only a miss, a stale entry or a refresh reaches.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CacheResult<T>> GetOrLoadSlowAsync<T, TState>(
        CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T?>> load, CancellationToken cancellationToken)
        where T : class
    {
        if (!_options.Enabled) return new CacheResult<T>(await load(state, cancellationToken), CacheOutcome.Miss);

        var physical = keyspace.Key(key);
        var epoch = l1.Epoch;
        var (redisOk, raw) = await redis.TryGetAsync(physical);
        StaleCopy? stale = null;
        if (!raw.IsNull && codec.TryRead<T>(key, physical, raw, out var cached))
        {
            if (!cached.Stale)
            {
                l1.Set(key.Value, cached.Value, cached.Value is null, epoch);
                copies.Keep(key, cached.Value, cached.LoadedAt);
                if (refreshAhead.IsDue(cached.LoadedAt, cached.SoftExpiry)) StartRefresh(key, physical, state, load);
                return Hit(key, cached.Value, CacheOutcome.L2);
            }
            if (cached.Value is not null) stale = new StaleCopy(cached.Value, cached.LoadedAt);
        }
        else if (!redisOk && copies.TryGet(key, out var copy))
        {
            stale = new StaleCopy(copy.Value, copy.LoadedAt);
        }
        return await LoadOrStaleAsync(key, physical, Loader(state, load), redisOk, stale, cancellationToken);
    }

    private static Func<CancellationToken, ValueTask<T?>> Loader<T, TState>(TState state, Func<TState, CancellationToken, ValueTask<T?>> load)
        where T : class => ct => load(state, ct);

    private void StartRefresh<T, TState>(CacheKey key, string physical, TState state, Func<TState, CancellationToken, ValueTask<T?>> load)
        where T : class
    {
        var loader = Loader(state, load);
        refreshAhead.Start(physical, () => RefreshAsync(key, physical, loader));
    }

    /// <summary>The miss path: one shared load (single-flight), or the stale copy when it fails or is slow.</summary>
    private async Task<CacheResult<T>> LoadOrStaleAsync<T>(
        CacheKey key, string physical, Func<CancellationToken, ValueTask<T?>> loader, bool redisOk, StaleCopy? stale, CancellationToken cancellationToken)
        where T : class
    {
        // The shared load is not tied to this caller: it runs to its own timeout even if every caller stops waiting.
        var flight = singleFlight.RunAsync(physical, () => LoadAsync(key, physical, loader, redisOk), CancellationToken.None);
        try
        {
            var loaded = stale is null
                ? await flight.WaitAsync(cancellationToken)
                : await flight.WaitAsync(_options.FactorySoftTimeout, clock, cancellationToken);
            return Hit(key, loaded.Value, loaded.Outcome);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is TimeoutException || DatabaseFaults.IsOutage(ex)))
        {
            _ = flight.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observed: the load may still fail
            // No copy in Redis (a write deleted it): this process's last copy still beats an error, marked STALE.
            if ((stale ?? LocalCopy(key)) is { } copy)
            {
                metrics.StaleAnswer(key, flight.IsCompleted ? "error" : "timeout");
                return new CacheResult<T>((T?)copy.Value, CacheOutcome.Stale, Age(copy.LoadedAt));
            }
            throw new ServiceUnavailableException(
                $"The database could not answer for {key.Value} and no cached copy is at hand.", ex, _options.RetryAfter);
        }
    }

    private StaleCopy? LocalCopy(CacheKey key) => copies.TryGet(key, out var c) ? new StaleCopy(c.Value, c.LoadedAt) : null;

    private TimeSpan Age(DateTimeOffset loadedAt)
    {
        var age = clock.GetUtcNow() - loadedAt;
        return age < TimeSpan.Zero ? TimeSpan.Zero : age;
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

        var epoch = l1.Epoch;
        if (!redisOk || !_options.StampedeLock)
        {
            var value = await RunLoadAsync(key, load);
            l1.Set(key.Value, value, value is null, epoch);
            copies.Keep(key, value, clock.GetUtcNow());
            // Without a lease (protection off), a plain SET: a demo mode, open to the stale-fill race.
            if (redisOk && (value is not null || negatives.TryTakeRedisWrite())) redis.FireAndForget(db => { var (bytes, ttl) = codec.Encode(key, value); return db.StringSetAsync(physical, bytes, ttl); });
            return new Loaded<T>(value, CacheOutcome.Miss);
        }

        var token = Guid.NewGuid().ToString("N");
        var step = await FreshOrLockAsync<T>(key, physical, token);
        if (step.Ok && !step.Acquired && step.Fresh is null)
        {
            // Another instance holds the lock and is loading: wait (bounded) for its value. If the owner died, its
            // lock expires and we take it over; if the wait runs out, we load but do not store in Redis.
            metrics.StampedeWait(key);
            step = await WaitForValueOrLockAsync<T>(key, physical, token);
        }
        if (step.Fresh is { } fresh)
        {
            l1.Set(key.Value, fresh.Value, fresh.Value is null, epoch);
            copies.Keep(key, fresh.Value, fresh.LoadedAt); // this instance's fail-safe copy, as on every other path
            return new Loaded<T>(fresh.Value, CacheOutcome.L2);
        }

        T? loaded;
        try
        {
            loaded = await RunLoadAsync(key, load);
        }
        catch
        {
            if (step.Acquired) redis.FireAndForget(db => RedisLock.ReleaseAsync(db, physical, token));
            throw;
        }

        l1.Set(key.Value, loaded, loaded is null, epoch);
        copies.Keep(key, loaded, clock.GetUtcNow());
        if (step.Acquired) Store(key, physical, token, loaded);
        return new Loaded<T>(loaded, CacheOutcome.Miss);
    }

    /// <summary>Off the response's critical path: store only while our lease holds, and release the lock.</summary>
    private void Store<T>(CacheKey key, string physical, string token, T? value)
        where T : class
    {
        if (value is null && !negatives.TryTakeRedisWrite())
        {
            redis.FireAndForget(db => RedisLock.ReleaseAsync(db, physical, token)); // over the absent budget: L1 only
            return;
        }
        var (bytes, ttl) = codec.Encode(key, value);
        redis.FireAndForget(db => RedisLock.SetIfLeaseHeldAsync(db, physical, token, bytes, ttl));
    }

    /// <summary>
    /// One load from PostgreSQL: in a bulkhead slot, in its own DI scope (it may outlive the request that started it),
    /// cancelled after <c>Cache:LoadTimeout</c> (a <see cref="TimeoutException"/>), never by a caller.
    /// </summary>
    private Task<T?> RunLoadAsync<T>(CacheKey key, Func<CancellationToken, ValueTask<T?>> load)
        where T : class =>
        LoadScope.RunAsync(scopes, async () =>
        {
            try
            {
                return await bulkhead.RunAsync(async () =>
                {
                    using var timeout = new CancellationTokenSource(_options.LoadTimeout, clock);
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        var value = await load(timeout.Token);
                        metrics.Loaded(key, value is null, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        return value;
                    }
                    catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
                    {
                        throw new TimeoutException($"Loading {key.Value} took longer than Cache:LoadTimeout ({_options.LoadTimeout}).", ex);
                    }
                });
            }
            catch (Exception ex) when (ex is TimeoutException || DatabaseFaults.IsOutage(ex))
            {
                metrics.LoadFailure(key, ex is TimeoutException ? "timeout" : "error");
                throw;
            }
        });

    /// <summary>Refresh-ahead: reload and store under the key's lock, if no other instance holds it. True if it loaded.</summary>
    private async Task<bool> RefreshAsync<T>(CacheKey key, string physical, Func<CancellationToken, ValueTask<T?>> load)
        where T : class
    {
        var token = Guid.NewGuid().ToString("N");
        var (ok, acquired) = await redis.TryAsync(db => RedisLock.AcquireAsync(db, physical, token, _options.LockTtl));
        if (!ok || !acquired) return false;
        var epoch = l1.Epoch;
        T? value;
        try
        {
            value = await RunLoadAsync(key, load);
        }
        catch
        {
            redis.FireAndForget(db => RedisLock.ReleaseAsync(db, physical, token));
            throw;
        }
        l1.Set(key.Value, value, value is null, epoch);
        copies.Keep(key, value, clock.GetUtcNow());
        Store(key, physical, token, value);
        return true;
    }

    /// <summary>The outcome of one try at the lock: a fresh value already there, the lock taken, or neither (another holds it).</summary>
    private readonly record struct LockStep<T>(bool Ok, CacheEntryCodec.Entry<T>? Fresh, bool Acquired)
        where T : class;

    /// <summary>
    /// Returns the cached value if fresh; otherwise tries to take the lock. A stale or undecodable entry does not stop
    /// the lock from being taken (the script sees a value, so the lock is then taken with a plain SET NX).
    /// </summary>
    private async Task<LockStep<T>> FreshOrLockAsync<T>(CacheKey key, string physical, string token)
        where T : class
    {
        var (ok, attempt) = await redis.TryAsync(db => RedisLock.GetOrAcquireAsync(db, physical, token, _options.LockTtl));
        if (!ok) return default;
        if (attempt.Value.IsNull) return new LockStep<T>(true, null, attempt.Acquired);
        if (codec.TryRead<T>(key, physical, attempt.Value, out var entry) && !entry.Stale) return new LockStep<T>(true, entry, false);
        var (lockOk, acquired) = await redis.TryAsync(db => RedisLock.AcquireAsync(db, physical, token, _options.LockTtl));
        return new LockStep<T>(lockOk, null, lockOk && acquired);
    }

    /// <summary>Polls with backoff (2 ms doubling to 50 ms) until a fresh value appears, the lock frees up, or LockWait ends.</summary>
    private async Task<LockStep<T>> WaitForValueOrLockAsync<T>(CacheKey key, string physical, string token)
        where T : class
    {
        var started = clock.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(2);
        while (clock.GetElapsedTime(started) < _options.LockWait)
        {
            await Task.Delay(delay, clock);
            var step = await FreshOrLockAsync<T>(key, physical, token);
            if (!step.Ok) break;
            if (step.Acquired || step.Fresh is not null) return step;
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 50));
        }
        return default;
    }
}
