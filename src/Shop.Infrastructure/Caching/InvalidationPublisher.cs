using System.Text.Json;
using Shop.Infrastructure.Observability;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Sends invalidations to Redis. <see cref="TrySendAsync"/> deletes each key with its fill lease (so an in-flight load
/// of older data cannot store it) and each group's member keys, and publishes one message on
/// <c>{prefix}:v1:invalidations</c> so every other instance drops the same logical keys from L1, all in one pipelined
/// batch: one round trip. Keys are grouped per hash slot (one DEL each, Cluster-safe); a group is one Lua script
/// (<c>Lua/delete-group.lua</c>) on its own slot. <see cref="Publish"/> only queues the message on a caller's batch
/// (write-through changes Redis itself). Guarantees: after TrySendAsync returned true, Redis serves no entry older than
/// the write. Does not: retry (see <see cref="InvalidationRetries"/>), touch this instance's L1, or reach an
/// instance whose subscription is down (see <see cref="InvalidationSubscriber"/>).
/// </summary>
public sealed class InvalidationPublisher(FailOpenRedis redis, RedisKeyspace keyspace, CacheInstance instance, ShopMetrics metrics, TimeProvider clock)
{
    private static readonly string DeleteGroupScript = EmbeddedLua.Load("Caching.delete-group.lua");

    public RedisChannel Channel { get; } = RedisChannel.Literal(keyspace.InvalidationChannel);

    /// <summary>A message from this instance, stamped now. Logical keys and groups.</summary>
    public InvalidationMessage Message(IReadOnlyList<string> keys, IReadOnlyList<string> groups) =>
        new(instance.Id, keys, groups, clock.GetUtcNow().UtcTicks);

    /// <summary>Deletes in Redis and publishes, in one round trip; false if Redis could not be reached.</summary>
    public async Task<bool> TrySendAsync(InvalidationMessage message)
    {
        var keys = message.Keys.Select(k => keyspace.Root + k).SelectMany(k => new[] { k, RedisKeyspace.LockKey(k) }).ToArray();
        var groups = message.Groups.Select(keyspace.Group).ToArray();
        var payload = Encode(message);
        var (ok, _) = await redis.TryAsync(async db =>
        {
            var multiplexer = db.Multiplexer;
            await RedisPipeline.RunAsync(db, batch =>
            [
                .. keys.GroupBy(k => multiplexer.HashSlot(k)).Select(slot => batch.KeyDeleteAsync([.. slot.Select(k => (RedisKey)k)])),
                .. groups.Select(group => batch.ScriptEvaluateAsync(DeleteGroupScript, [group])),
                batch.PublishAsync(Channel, payload),
            ]);
            return true;
        });
        if (ok) metrics.InvalidationPublished();
        return ok;
    }

    /// <summary>Queues the message on the caller's batch (the caller already changes Redis in the same round trip).</summary>
    public Task Publish(IBatch batch, InvalidationMessage message) => batch.PublishAsync(Channel, Encode(message));

    public static byte[] Encode(InvalidationMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, InvalidationJsonContext.Default.InvalidationMessage);
}
