using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Infrastructure.Observability;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Pub/sub invalidation of this instance's L1: subscribes to the channel <see cref="InvalidationPublisher"/> sends on
/// and drops the logical keys and groups of every message another instance sent (its own it skips: the sender drops
/// them itself, after deleting them in Redis).
/// Recovery: when the subscription connection drops, this instance cannot know what it missed, so it clears its L1
/// and bypasses it until it is subscribed again (checked every 100 ms while down, 500 ms while up).
/// Staleness bounds: normally the pub/sub latency (about a millisecond on loopback); while this instance's
/// subscription is down, none (L1 is bypassed). Does not: change Redis (the publisher and the retry queue do).
/// </summary>
public sealed partial class InvalidationSubscriber(
    FailOpenRedis redis, L1Cache l1, InvalidationPublisher publisher, CacheInstance instance, ShopMetrics metrics, TimeProvider clock,
    ILogger<InvalidationSubscriber> logger)
    : BackgroundService
{
    private RedisChannel Channel => publisher.Channel;
    private volatile bool _subscribed;

    /// <summary>Raised for each message from another instance, with its publish-to-receive lag.</summary>
    public event Action<TimeSpan>? Received;

    public bool Subscribed => _subscribed;

    public string InstanceId => instance.Id;

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
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                _subscribed = false;
                if (!l1.Bypassed) l1.Bypass();
            }
            await Task.Delay(_subscribed ? 500 : 100, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
        l1.Invalidate(message.Keys, []);
        var lag = TimeSpan.FromTicks(Math.Max(0, clock.GetUtcNow().UtcTicks - message.SentAtTicks));
        metrics.InvalidationReceived(lag);
        Received?.Invoke(lag);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invalidation subscription lost ({Failure}): L1 cleared and bypassed until resubscribed")]
    private partial void LogSubscriptionLost(string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Invalidation subscription connection restored; L1 resumes once subscribed")]
    private partial void LogSubscriptionRestored();
}
