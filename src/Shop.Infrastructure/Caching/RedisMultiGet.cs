using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Many keys in one round trip: a single MGET on a standalone server; on Redis Cluster one MGET per hash slot (a
/// cross-slot MGET would be refused), all sent in one pipelined batch, so one round trip per node, in parallel.
/// Guarantees: the values come back in the keys' order, null where absent. Does not: read a consistent snapshot across
/// slots (each MGET is atomic only for its own slot).
/// </summary>
internal static class RedisMultiGet
{
    public static async Task<RedisValue[]> GetAsync(IDatabase db, IReadOnlyList<string> keys, bool cluster)
    {
        if (keys.Count == 1) return [await db.StringGetAsync(keys[0])];
        if (!cluster) return await db.StringGetAsync([.. keys.Select(k => (RedisKey)k)]);

        var multiplexer = db.Multiplexer;
        var slots = keys.Select((k, i) => (Key: (RedisKey)k, Index: i)).GroupBy(x => multiplexer.HashSlot(x.Key)).ToArray();
        var answers = await RedisPipeline.EachAsync(db, slots, (batch, slot) => batch.StringGetAsync([.. slot.Select(x => x.Key)]));
        var results = new RedisValue[keys.Count];
        for (var s = 0; s < slots.Length; s++)
        {
            var j = 0;
            foreach (var x in slots[s]) results[x.Index] = answers[s][j++];
        }
        return results;
    }
}
