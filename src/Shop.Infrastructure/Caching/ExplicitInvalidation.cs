using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Explicit invalidation in Redis after a committed write: deletes each key with its fill lease (so an in-flight
/// load of older data cannot store it), and each group's member keys, then publishes one message so every
/// instance drops the same keys from L1, all in one pipelined batch: one round trip. Keys are grouped per hash
/// slot (one DEL each, Cluster-safe); a group is one Lua script on its own slot.
/// Guarantees: after it returns, Redis serves no entry older than the write. Does not: reach an L1 whose
/// subscription is down (that instance clears and bypasses its L1 until resubscribed).
/// </summary>
public static class ExplicitInvalidation
{
    private const string DeleteGroupScript = """
        local members = redis.call('SMEMBERS', KEYS[1])
        for _, key in ipairs(members) do redis.call('DEL', key, key .. ':lock') end
        redis.call('DEL', KEYS[1])
        return #members
        """;

    public static async Task ExecuteAsync(IDatabase db, IReadOnlyList<string> keys, IReadOnlyList<string> groups, RedisChannel channel, byte[] message)
    {
        var multiplexer = db.Multiplexer;
        var batch = db.CreateBatch();
        var work = new List<Task>();
        foreach (var slot in keys.SelectMany(k => new[] { k, RedisKeyspace.LockKey(k) }).GroupBy(k => multiplexer.HashSlot(k)))
            work.Add(batch.KeyDeleteAsync([.. slot.Select(k => (RedisKey)k)]));
        foreach (var group in groups)
            work.Add(batch.ScriptEvaluateAsync(DeleteGroupScript, [group]));
        work.Add(batch.PublishAsync(channel, message));
        batch.Execute();
        await Task.WhenAll(work);
    }
}
