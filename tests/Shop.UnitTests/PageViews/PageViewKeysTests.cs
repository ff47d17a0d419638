using Microsoft.Extensions.Options;
using Shop.Application.Caching;
using Shop.Infrastructure.Caching;
using Shop.Infrastructure.PageViews;

using Shop.Tests.Shared;

namespace Shop.UnitTests.PageViews;

/// <summary>The write-behind key layout: one hash tag per shard (one Redis Cluster slot per script), shards spread over slots.</summary>
public sealed class PageViewKeysTests
{
    private readonly PageViewKeys _keys = new(new RedisKeyspace(Options.Create(new CacheOptions { KeyPrefix = "shop" })));

    [Fact]
    public void Keys_of_a_shard_carry_its_hash_tag_under_the_configured_prefix()
    {
        Assert.Equal("shop:v1:{pv:7}:pending", (string?)_keys.Pending(7));
        Assert.Equal("shop:v1:{pv:7}:inflight", (string?)_keys.InFlight(7));
        Assert.Equal("shop:v1:{pv:7}:flushed", (string?)_keys.Flushed(7));
        Assert.Equal("shop:v1:{pv:7}:moves", (string?)_keys.Moves(7));
        Assert.Equal("shop:v1:{pv:7}:lease", (string?)_keys.Lease(7));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(16, 0)]
    [InlineData(23, 7)]
    [InlineData(int.MaxValue, 15)]
    public void Products_are_sharded_by_id(int productId, int shard) => Assert.Equal(shard, PageViewKeys.ShardOf(productId));

    [Fact]
    public void Every_key_a_script_touches_hashes_to_its_shards_slot_and_the_shards_use_distinct_slots()
    {
        var slots = new HashSet<int>();
        for (var shard = 0; shard < PageViewKeys.Shards; shard++)
        {
            // Batch keys are built inside the scripts as <in-flight set>:<batch id>.
            string[] keys = [S(_keys.Pending(shard)), S(_keys.InFlight(shard)), S(_keys.InFlight(shard)) + ":0195d3c2-7a1b-7c3d-9e4f-0123456789ab",
                S(_keys.Flushed(shard)), S(_keys.Moves(shard)), S(_keys.Lease(shard))];
            var shardSlots = keys.Select(RedisKeySlot.Of).Distinct().ToArray();
            Assert.Single(shardSlots);
            slots.Add(shardSlots[0]);
        }
        Assert.Equal(PageViewKeys.Shards, slots.Count);
        Assert.Equal(CacheKeys.PageViewShards, PageViewKeys.Shards);
    }

    [Fact]
    public void The_Lua_scripts_are_embedded()
    {
        Assert.Contains("HINCRBY", PageViewScripts.Record, StringComparison.Ordinal);
        Assert.Contains("RENAME", PageViewScripts.Claim, StringComparison.Ordinal);
        Assert.Contains("SREM", PageViewScripts.Finish, StringComparison.Ordinal);
        Assert.Contains("SMEMBERS", PageViewScripts.Read, StringComparison.Ordinal);
        Assert.Contains("DEL", PageViewScripts.Release, StringComparison.Ordinal);
    }

    private static string S(StackExchange.Redis.RedisKey key) => (string?)key ?? "";
}
