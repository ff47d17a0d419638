using Shop.Application.Caching;
using Shop.Infrastructure.Caching;
using StackExchange.Redis;

namespace Shop.Infrastructure.PageViews;

/// <summary>
/// The write-behind key layout. Products are sharded into <see cref="CacheKeys.PageViewShards"/> fixed shards by id;
/// all keys of one shard carry its hash tag, e.g. for shard 7 (with the default prefix):
/// <code>
/// shop:v1:{pv:7}:pending            hash   product id → views not yet moved (HINCRBY on every view)
/// shop:v1:{pv:7}:inflight           set    id of the batch moved out of :pending and not yet finished (at most one)
/// shop:v1:{pv:7}:inflight:&lt;batch&gt;   hash   product id → views (the renamed :pending)
/// shop:v1:{pv:7}:parked             set    ids of batches refused as older than PageViews:MaxBatchAge
/// shop:v1:{pv:7}:parked:&lt;batch&gt;     hash   product id → views of a refused batch, kept for an operator
/// shop:v1:{pv:7}:flushed            hash   product id → total in PostgreSQL (a mirror; field _seeded once complete)
/// shop:v1:{pv:7}:moves              string incremented by every move (readers detect a move that raced them)
/// shop:v1:{pv:7}:lease              string token of the flusher that owns the shard (SET NX PX)
/// </code>
/// Trade-off: one slot per shard means every script is single-slot (valid on Redis Cluster) and a shard is moved with
/// one RENAME, while 16 shards spread the counters over up to 16 nodes; the price is that one shard's keys are hot on
/// one node, and a very hot product cannot be spread further. Batch keys are derived inside the scripts from the
/// in-flight set's name, so they share its hash tag and slot.
/// </summary>
public sealed class PageViewKeys(RedisKeyspace keyspace)
{
    public const int Shards = CacheKeys.PageViewShards;

    /// <summary>The field of the flushed mirror that says it holds every product of the shard.</summary>
    public const string SeededField = "_seeded";

    public static int ShardOf(int productId) => CacheKeys.PageViewShard(productId);

    private string Tag(int shard) => keyspace.Root + CacheKeys.PageViewShardTag(shard);

    public RedisKey Pending(int shard) => Tag(shard) + ":pending";

    public RedisKey InFlight(int shard) => Tag(shard) + ":inflight";

    public RedisKey Parked(int shard) => Tag(shard) + ":parked";

    public RedisKey Flushed(int shard) => Tag(shard) + ":flushed";

    public RedisKey Moves(int shard) => Tag(shard) + ":moves";

    public RedisKey Lease(int shard) => Tag(shard) + ":lease";
}
