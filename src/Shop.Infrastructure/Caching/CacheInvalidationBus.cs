using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Infrastructure.Observability;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Pub/sub invalidation of every instance's L1. After a write, one message on <c>{prefix}:v1:invalidations</c>
/// carries the logical keys and groups to drop (the channel already names the deployment) and the sender's id; every other instance drops them (the sender skips its
/// own message: it already dropped them, before and after deleting them in Redis).
/// Recovery: when the subscription connection drops, this instance cannot know what it missed, so it clears its
/// L1 and bypasses it until it is subscribed again. An invalidation that could not reach Redis is queued and
/// retried (Redis DEL + publish) once Redis answers again.
/// Staleness bounds: normally the pub/sub latency (about a millisecond on loopback); while this instance's
/// subscription is down, none (L1 is bypassed); a write made while Redis is down leaves Redis stale until the
/// writer's retry succeeds, or, if the writer dies first, until the entry's TTL (at most TTL × 1.1).
/// </summary>
public sealed partial class CacheInvalidationBus(
    FailOpenRedis redis, L1Cache l1, RedisKeyspace keyspace, CacheInstance instance, ShopMetrics metrics, ILogger<CacheInvalidationBus> logger)
    : BackgroundService
{
    private const int MaxPending = 10_000;
    private readonly ConcurrentQueue<InvalidationMessage> _pending = new();
    private RedisChannel Channel => RedisChannel.Literal(keyspace.InvalidationChannel);
    private volatile bool _subscribed;

    /// <summary>Raised for each message from another instance, with its publish-to-receive lag.</summary>
    public event Action<TimeSpan>? Received;

    private long _published;
    private long _failed;

    /// <summary>Invalidations that reached Redis, and those that had to be queued for retry (since start).</summary>
    public long Published => Interlocked.Read(ref _published);

    public long Failed => Interlocked.Read(ref _failed);

    public int Pending => _pending.Count;

    public bool Subscribed => _subscribed;

    /// <summary>Deletes in Redis, publishes, and drops locally; queued for retry if Redis cannot be reached. Logical keys.</summary>
    public async Task InvalidateAsync(IReadOnlyList<string> keys, IReadOnlyList<string> groups)
    {
        var message = new InvalidationMessage(instance.Id, keys, groups, DateTime.UtcNow.Ticks);
        l1.Invalidate(keys, groups);
        if (!await TrySendAsync(message)) Enqueue(message);
        l1.Invalidate(keys, groups); // drops anything this instance re-read from Redis before the delete landed
    }

    /// <summary>Publishes only (the caller already changed Redis): for write-through.</summary>
    public Task PublishAsync(IDatabaseAsync batch, IReadOnlyList<string> keys) =>
        batch.PublishAsync(Channel, Encode(new InvalidationMessage(instance.Id, keys, [], DateTime.UtcNow.Ticks)));

    public void Enqueue(InvalidationMessage message)
    {
        Interlocked.Increment(ref _failed);
        _pending.Enqueue(message);
        while (_pending.Count > MaxPending && _pending.TryDequeue(out _)) LogDroppedPending(MaxPending);
    }

    public InvalidationMessage Message(IReadOnlyList<string> keys) => new(instance.Id, keys, [], DateTime.UtcNow.Ticks);

    public string InstanceId => instance.Id;

    private async Task<bool> TrySendAsync(InvalidationMessage message)
    {
        var (ok, _) = await redis.TryAsync(async db =>
        {
            await ExplicitInvalidation.ExecuteAsync(db,
                [.. message.Keys.Select(k => keyspace.Root + k)], [.. message.Groups.Select(keyspace.Group)], Channel, Encode(message));
            return true;
        });
        if (ok)
        {
            Interlocked.Increment(ref _published);
            metrics.InvalidationPublished();
        }
        return ok;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var multiplexer = redis.Multiplexer;
        multiplexer.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType != ConnectionType.Subscription) return;
            _subscribed = false;
            l1.Bypass();
            LogSubscriptionLost(e.FailureType.ToString());
        };
        multiplexer.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription) LogSubscriptionRestored();
        };

        l1.Bypass(); // until the first subscription is confirmed
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var subscriber = multiplexer.GetSubscriber();
                if (!_subscribed || !subscriber.IsConnected(Channel))
                {
                    _subscribed = false;
                    if (!l1.Bypassed) l1.Bypass();
                    // Start from a clean slate so a handler is never registered twice across reconnects.
                    await subscriber.UnsubscribeAsync(Channel);
                    await subscriber.SubscribeAsync(Channel, (_, value) => OnMessage(value));
                    if (subscriber.IsConnected(Channel))
                    {
                        l1.Resume(); // first: whoever sees Subscribed must find L1 in use
                        _subscribed = true;
                    }
                }
                while (_pending.TryPeek(out var message) && await TrySendAsync(message)) _pending.TryDequeue(out _);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                _subscribed = false;
                if (!l1.Bypassed) l1.Bypass();
            }
            await Task.Delay(_subscribed && _pending.IsEmpty ? 500 : 100, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void OnMessage(RedisValue value)
    {
        InvalidationMessage? message;
        try
        {
            message = JsonSerializer.Deserialize((byte[])value!, InvalidationJsonContext.Default.InvalidationMessage);
        }
        catch (JsonException)
        {
            return;
        }
        if (message is null || message.Sender == instance.Id) return;
        l1.Invalidate(message.Keys, message.Groups);
        var lag = TimeSpan.FromTicks(Math.Max(0, DateTime.UtcNow.Ticks - message.SentAtTicks));
        metrics.InvalidationReceived(lag);
        Received?.Invoke(lag);
    }

    private static byte[] Encode(InvalidationMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, InvalidationJsonContext.Default.InvalidationMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invalidation subscription lost ({Failure}): L1 cleared and bypassed until resubscribed")]
    private partial void LogSubscriptionLost(string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Invalidation subscription connection restored; L1 resumes once subscribed")]
    private partial void LogSubscriptionRestored();

    [LoggerMessage(Level = LogLevel.Warning, Message = "More than {Max} invalidations pending while Redis is unreachable: dropped the oldest; those keys stay stale in Redis until their TTL")]
    private partial void LogDroppedPending(int max);
}

/// <summary>One invalidation on the wire: logical keys and groups to drop, who sent it, and when.</summary>
public sealed record InvalidationMessage(
    [property: JsonPropertyName("s")] string Sender,
    [property: JsonPropertyName("k")] IReadOnlyList<string> Keys,
    [property: JsonPropertyName("g")] IReadOnlyList<string> Groups,
    [property: JsonPropertyName("t")] long SentAtTicks);

[JsonSerializable(typeof(InvalidationMessage))]
internal sealed partial class InvalidationJsonContext : JsonSerializerContext;
