using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Pipelining in one place: queue several commands on one <see cref="IBatch"/>, send them together (one round trip to
/// each node involved) and await every answer. Guarantees: the commands leave in the order queued, without waiting on
/// each other. Does not: make them atomic (other clients' commands may interleave; use a Lua script for that).
/// </summary>
internal static class RedisPipeline
{
    /// <summary>Sends what <paramref name="queue"/> puts on the batch and waits for all of it.</summary>
    public static async Task RunAsync(IDatabase db, Func<IBatch, IEnumerable<Task>> queue)
    {
        var batch = db.CreateBatch();
        var calls = queue(batch).ToArray(); // queued, not sent yet
        batch.Execute();
        await Task.WhenAll(calls);
    }

    /// <summary>One command per item, all in one batch; the answers in the items' order.</summary>
    public static async Task<T[]> EachAsync<TItem, T>(IDatabase db, IReadOnlyList<TItem> items, Func<IBatch, TItem, Task<T>> command)
    {
        var batch = db.CreateBatch();
        var calls = new Task<T>[items.Count];
        for (var i = 0; i < calls.Length; i++) calls[i] = command(batch, items[i]);
        batch.Execute();
        return await Task.WhenAll(calls);
    }
}
