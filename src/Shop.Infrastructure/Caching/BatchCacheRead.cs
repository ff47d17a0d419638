using Microsoft.Extensions.Options;
using Shop.Application.Abstractions;
using Shop.Application.Caching;
using Shop.Infrastructure.Observability;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Cache-aside for many keys (the <see cref="IBatchCacheRead"/> port): L1 first, then every remaining key from Redis in
/// one round trip (<see cref="RedisMultiGet"/>), then the fill leases of the keys still missing in one pipelined round
/// trip; the caller loads those from the database and hands the values back with the lease to <see cref="Fill{T}"/>.
/// Guarantees: at most two Redis round trips before the database read; a fill never stores data older than a write
/// made since the read (leases in Redis, epoch in L1); Redis faults degrade to L1 + PostgreSQL. Does not: coalesce
/// batches with each other or with single reads (a key whose lease another reader holds is loaded but not stored).
/// "Absent" goes to Redis only within the <see cref="NegativeCacheBudget"/>; past it, its lease is released instead.
/// A singleton: the lease travels in the result, not in this object.
/// </summary>
public sealed class BatchCacheRead(
    L1Cache l1, FailOpenRedis redis, RedisKeyspace keyspace, CacheEntryCodec codec, NegativeCacheBudget negatives, ShopMetrics metrics,
    IOptions<CacheOptions> options)
    : IBatchCacheRead
{
    private readonly CacheOptions _options = options.Value;

    public async ValueTask<CacheBatchResult<T>> GetManyAsync<T>(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
        where T : class
    {
        var found = new Dictionary<CacheKey, T?>(keys.Count);
        if (!_options.Enabled) return new CacheBatchResult<T>(found, CacheOutcome.Miss, CacheFillLease.None);

        var epoch = l1.Epoch;
        var remote = new List<(CacheKey Key, string Physical)>(keys.Count);
        foreach (var key in keys)
        {
            if (l1.TryGet(key.Value, out var entry))
            {
                found[key] = entry as T;
                metrics.Lookup(key, entry is null, CacheOutcome.L1, "batch");
            }
            else
            {
                remote.Add((key, keyspace.Key(key)));
            }
        }
        if (remote.Count == 0) return new CacheBatchResult<T>(found, CacheOutcome.L1, new FillLeases(epoch, EmptyTokens));

        var (ok, values) = await redis.TryAsync(db => RedisMultiGet.GetAsync(db, [.. remote.Select(r => r.Physical)], redis.IsCluster));
        var fromRedis = false;
        var missing = new List<string>(remote.Count);
        for (var i = 0; i < remote.Count; i++)
        {
            // Absent, past its TTL (a fail-safe copy, not for batch reads) or undecodable: a miss.
            if (!ok || values[i].IsNull || !codec.TryRemember<T>(remote[i].Key, values[i], epoch, out var value))
            {
                missing.Add(remote[i].Physical);
                metrics.Lookup(remote[i].Key, false, CacheOutcome.Miss, "batch");
                continue;
            }
            found[remote[i].Key] = value;
            metrics.Lookup(remote[i].Key, value is null, CacheOutcome.L2, "batch");
            fromRedis = true;
        }
        var tokens = ok ? await LeaseAsync(missing) : EmptyTokens;
        return new CacheBatchResult<T>(found, fromRedis ? CacheOutcome.L2 : CacheOutcome.L1, new FillLeases(epoch, tokens));
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyTokens = new Dictionary<string, string>();

    /// <summary>Takes the fill leases of a batch's missing keys in one pipelined round trip (before the database read).</summary>
    private async Task<IReadOnlyDictionary<string, string>> LeaseAsync(List<string> physicalKeys)
    {
        if (physicalKeys.Count == 0 || !_options.StampedeLock) return EmptyTokens;
        var token = Guid.NewGuid().ToString("N");
        var (ok, acquired) = await redis.TryAsync(db =>
            RedisPipeline.EachAsync(db, physicalKeys, (batch, key) => RedisLock.AcquireAsync(batch, key, token, _options.LockTtl)));
        if (!ok) return EmptyTokens;
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < physicalKeys.Count; i++)
        {
            if (acquired[i]) tokens[physicalKeys[i]] = token;
        }
        return tokens;
    }

    public void Fill<T>(CacheBatchResult<T> batch, IReadOnlyList<KeyValuePair<CacheKey, T?>> loaded)
        where T : class
    {
        if (!_options.Enabled || loaded.Count == 0) return;
        var leases = batch.Lease as FillLeases;
        var epoch = leases?.Epoch ?? l1.Epoch;
        var fills = new List<(string Key, string Token, byte[]? Bytes, TimeSpan Ttl)>(loaded.Count);
        foreach (var (key, value) in loaded)
        {
            var physical = keyspace.Key(key);
            l1.Set(key.Value, value, value is null, epoch);
            if (leases is null || !leases.Tokens.TryGetValue(physical, out var token)) continue; // no lease: someone else fills it
            if (value is null && !negatives.TryTakeRedisWrite())
            {
                fills.Add((physical, token, null, default)); // over the absent budget: L1 only, release the lease
                continue;
            }
            var (bytes, ttl) = codec.Encode(key, value);
            fills.Add((physical, token, bytes, ttl));
        }
        if (fills.Count == 0) return;
        // One pipelined batch, off the response's critical path; each fill is stored only while its lease holds.
        redis.FireAndForget(db => RedisPipeline.EachAsync(db, fills, (b, f) => f.Bytes is null
            ? RedisLock.ReleaseAsync(b, f.Key, f.Token)
            : RedisLock.SetIfLeaseHeldAsync(b, f.Key, f.Token, f.Bytes, f.Ttl)));
    }
}
