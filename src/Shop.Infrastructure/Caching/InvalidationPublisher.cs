using Shop.Infrastructure.Observability;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Sends invalidations to Redis. <see cref="TrySendAsync"/> deletes each key with its fill lease (so an in-flight load
/// of older data cannot store it), moves each version counter on (<c>Lua/move-version.lua</c>: one command, O(1)
/// whatever was cached under the old version), and publishes one message on <c>{prefix}:v1:invalidations</c> so every
/// other instance drops the same logical keys (counters included) from L1, all in one pipelined batch: one round trip.
/// Keys are grouped per hash slot (one DEL each, Cluster-safe); a counter is a single key. <see cref="Publish"/> only queues the message on a caller's batch
/// (write-through changes Redis itself). Guarantees: after TrySendAsync returned true, Redis serves no entry older than
/// the write. Does not: retry (see <see cref="InvalidationRetries"/>), touch this instance's L1, or reach an
/// instance whose subscription is down (see <see cref="InvalidationSubscriber"/>).
/// </summary>
public sealed class InvalidationPublisher(FailOpenRedis redis, RedisKeyspace keyspace, CacheInstance instance, ShopMetrics metrics, TimeProvider clock)
{
    private static readonly string MoveVersionScript = EmbeddedLua.Load("Caching.move-version.lua");

    public RedisChannel Channel { get; } = RedisChannel.Literal(keyspace.InvalidationChannel);

    /// <summary>A message from this instance, stamped now: logical keys for L1, of which <paramref name="versions"/> are counters.</summary>
    public InvalidationMessage Message(IReadOnlyList<string> keys, IReadOnlyList<string> versions) =>
        new(instance.Id, keys, versions, clock.GetUtcNow().UtcTicks);

    /// <summary>
    /// Deletes in Redis and publishes, in one round trip; false if Redis could not be reached. The retry queue sends
    /// with <paramref name="throughBreaker"/> false: it must land as soon as Redis answers, not when this instance's breaker closes.
    /// </summary>
    public async Task<bool> TrySendAsync(InvalidationMessage message, bool throughBreaker = true)
    {
        var versions = message.Versions.Select(v => keyspace.Root + v).ToArray();
        var keys = message.Keys.Except(message.Versions).Select(k => keyspace.Root + k)
            .SelectMany(k => new[] { k, RedisKeyspace.LockKey(k) }).ToArray();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var payload = message.Encode();
        var (ok, _) = await redis.TryAsync(async db =>
        {
            var multiplexer = db.Multiplexer;
            await RedisPipeline.RunAsync(db, batch =>
            [
                .. keys.GroupBy(k => multiplexer.HashSlot(k)).Select(slot => batch.KeyDeleteAsync([.. slot.Select(k => (RedisKey)k)])),
                .. versions.Select(version => batch.ScriptEvaluateAsync(MoveVersionScript, [version], [now])),
                batch.PublishAsync(Channel, payload),
            ]);
            return true;
        }, throughBreaker);
        if (ok) metrics.InvalidationPublished(message.Keys);
        return ok;
    }

    /// <summary>Queues the message on the caller's batch (the caller already changes Redis in the same round trip).</summary>
    public Task Publish(IBatch batch, InvalidationMessage message) => batch.PublishAsync(Channel, message.Encode());
}
