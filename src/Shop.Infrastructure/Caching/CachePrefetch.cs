using Microsoft.Extensions.Options;
using Shop.Application.Abstractions;
using Shop.Application.Caching;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Prefetch for composite reads (the <see cref="ICachePrefetch"/> port): the keys not in L1 are read from Redis in one
/// round trip (<see cref="RedisMultiGet"/>) and decoded into L1 under the epoch read before the MGET, so the cached
/// queries that follow hit memory, and a value read before an invalidation is not kept after it.
/// Guarantees: one round trip for all the keys; nothing is kept outside L1 (no per-request state). Does not: load
/// anything from the database (a key absent from Redis is left to the read that follows), or help while L1 is off or
/// bypassed (then it does nothing and each read goes to Redis itself).
/// </summary>
public sealed class CachePrefetch(L1Cache l1, FailOpenRedis redis, RedisKeyspace keyspace, CacheEntryCodec codec, IOptions<CacheOptions> options)
    : ICachePrefetch
{
    public async ValueTask<CacheOutcome?> PrefetchAsync(IReadOnlyList<CachePrefetchKey> keys, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || !l1.Enabled) return null;
        var missing = keys.Where(k => !l1.Contains(k.Key.Value)).ToArray();
        if (missing.Length == 0) return null;
        var epoch = l1.Epoch;
        var (ok, values) = await redis.TryAsync(db => RedisMultiGet.GetAsync(db, [.. missing.Select(k => keyspace.Key(k.Key))], redis.IsCluster));
        if (!ok) return null;
        CacheOutcome? outcome = null;
        for (var i = 0; i < missing.Length; i++)
        {
            if (values[i].IsNull) continue;
            var visitor = new IntoL1(codec, values[i], epoch);
            missing[i].Accept(visitor);
            if (visitor.Kept) outcome = CacheOutcome.L2;
        }
        return outcome;
    }

    /// <summary>Decodes one prefetched value with the type its key declares, into L1 (if fresh and decodable).</summary>
    private sealed class IntoL1(CacheEntryCodec codec, RedisValue raw, long epoch) : ICachePrefetchKeyVisitor
    {
        public bool Kept { get; private set; }

        public void Visit<T>(CacheKey key)
            where T : class => Kept = codec.TryRemember<T>(key, raw, epoch, out _);
    }
}
