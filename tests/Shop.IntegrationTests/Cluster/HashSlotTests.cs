using Microsoft.Extensions.Options;
using Shop.Application.Caching;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;

using Shop.Tests.Shared;

namespace Shop.IntegrationTests.Cluster;

/// <summary>
/// Every multi-key command and Lua script Shop sends must touch keys of one hash slot, or Redis Cluster refuses it
/// (CROSSSLOT). The keys are built by the production code (CacheKeys, RedisKeyspace), so a future key change that
/// breaks this fails here, on a standalone Redis too. On the cluster the slots come from CLUSTER KEYSLOT itself.
/// </summary>
public sealed class HashSlotTests(ShopServices services)
{
    private readonly RedisKeyspace _keyspace = new(Options.Create(new CacheOptions { KeyPrefix = "shop" }));

    public static TheoryData<string, string[]> MultiKeyOperations()
    {
        var keyspace = new RedisKeyspace(Options.Create(new CacheOptions { KeyPrefix = "shop" }));
        string K(CacheKey key) => keyspace.Key(key);
        var page = K(CacheKeys.CategoryPage(3, 17, 2, 20));
        return new TheoryData<string, string[]>
        {
            { "RedisLock get-or-lock (value + lock)", [K(CacheKeys.Product(42)), RedisKeyspace.LockKey(K(CacheKeys.Product(42)))] },
            { "RedisLock set-if-lease-held (value + lock)", [page, RedisKeyspace.LockKey(page)] },
            { "WriteThrough compare-and-set (value + lock)", [K(CacheKeys.Profile(7)), RedisKeyspace.LockKey(K(CacheKeys.Profile(7)))] },
            { "ExplicitInvalidation product keys (one DEL)", [K(CacheKeys.Product(42)), K(CacheKeys.Pricing(42)), RedisKeyspace.LockKey(K(CacheKeys.Product(42))), RedisKeyspace.LockKey(K(CacheKeys.Pricing(42)))] },
            { "Category version counter and the pages under it", [keyspace.Root + CacheKeys.CategoryVersion(3), K(CacheKeys.CategoryPage(3, 17, 1, 20)), K(CacheKeys.CategoryPage(3, 18, 9, 100)), RedisKeyspace.LockKey(page)] },
            { "User overview prefetch (one MGET)", [K(CacheKeys.Profile(7)), K(CacheKeys.Preferences(7))] },
        };
    }

    [Theory]
    [MemberData(nameof(MultiKeyOperations))]
    public async Task Each_multi_key_operation_touches_one_slot(string operation, string[] keys)
    {
        var slots = new HashSet<long>();
        foreach (var key in keys) slots.Add(await SlotAsync(key));
        Assert.True(slots.Count == 1, $"{operation}: keys span {slots.Count} slots: {string.Join(", ", keys)}");
    }

    [Fact]
    public async Task Different_entities_spread_over_slots()
    {
        // The other half of the design: hash tags are per entity, not one tag for everything, so load spreads.
        var slots = new HashSet<long>();
        for (var id = 1; id <= 50; id++) slots.Add(await SlotAsync(_keyspace.Key(CacheKeys.Product(id))));
        Assert.True(slots.Count > 40, $"50 products landed in only {slots.Count} slots");
    }

    private async Task<long> SlotAsync(string key)
    {
        if (!services.IsCluster) return RedisKeySlot.Of(key);
        var result = await services.RedisConnection.GetDatabase().ExecuteAsync("CLUSTER", "KEYSLOT", key);
        Assert.Equal((long)result, RedisKeySlot.Of(key)); // the local computation agrees with the cluster's
        return (long)result;
    }
}
