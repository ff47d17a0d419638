using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Infrastructure.Observability;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Pub/sub invalidation of this instance's L1: subscribes to the channel <see cref="InvalidationPublisher"/> sends on
/// and drops the logical keys of every message another instance sent (its own it skips: the sender drops
/// them itself, after deleting them in Redis).
/// Outage: while the subscription is down (noticed by the connection-failed event, or the check every 100 ms while
/// down, 500 ms while up) or the <see cref="RedisCircuitBreaker"/> is open, messages may be missed, so L1 is
/// <see cref="L1Cache.Degraded"/>: it keeps serving, but only entries younger than <c>Cache:DegradedL1Ttl</c>. Once
/// subscribed again (and the breaker closed) L1 is cleared, since messages were missed meanwhile.
/// Staleness bound for a write on another instance: the pub/sub latency (about a millisecond on loopback) while
/// subscribed; DegradedL1Ttl after this instance noticed the outage while not; nothing once resubscribed.
/// Does not: change Redis (the publisher and the retry queue do); notice a silently hung connection before
/// StackExchange.Redis or the breaker does (so the bound starts then).
/// </summary>
public sealed partial class InvalidationSubscriber(
    FailOpenRedis redis, L1Cache l1, InvalidationPublisher publisher, RedisCircuitBreaker breaker, CacheInstance instance,
    ShopMetrics metrics, TimeProvider clock, ILogger<InvalidationSubscriber> logger)
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
            if (e.ConnectionType == ConnectionType.Subscription) Lost(e.FailureType.ToString());
        };
        multiplexer.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription) LogSubscriptionRestored();
        };
        breaker.StateChanged += OnBreakerStateChanged;

        l1.EnterDegraded(L1Cache.DegradedReason.SubscriptionDown); // until the first subscription is confirmed
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var subscriber = multiplexer.GetSubscriber();
                    if (!_subscribed || !subscriber.IsConnected(Channel))
                    {
                        if (_subscribed) Lost("not connected");
                        // Start from a clean slate so a handler is never registered twice across reconnects.
                        await subscriber.UnsubscribeAsync(Channel);
                        await subscriber.SubscribeAsync(Channel, (_, value) => OnMessage(value));
                        if (subscriber.IsConnected(Channel))
                        {
                            // First: whoever sees Subscribed must find L1 cleared of what missed messages may have left.
                            if (l1.LeaveDegraded(L1Cache.DegradedReason.SubscriptionDown)) LogL1Normal();
                            _subscribed = true;
                        }
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    if (_subscribed) Lost(ex.GetType().Name);
                }
                await Task.Delay(_subscribed ? 500 : 100, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            breaker.StateChanged -= OnBreakerStateChanged;
        }
    }

    private void Lost(string failure)
    {
        var was = _subscribed;
        _subscribed = false;
        l1.EnterDegraded(L1Cache.DegradedReason.SubscriptionDown);
        if (was) LogSubscriptionLost(failure, l1.DegradedTtl.TotalSeconds); // once per loss, not per reconnect attempt
    }

    /// <summary>While the breaker is open this instance's invalidations (and others') may not get through Redis.</summary>
    private void OnBreakerStateChanged(BreakerState state)
    {
        if (state == BreakerState.Open) l1.EnterDegraded(L1Cache.DegradedReason.RedisUnreachable);
        else if (state == BreakerState.Closed && l1.LeaveDegraded(L1Cache.DegradedReason.RedisUnreachable)) LogL1Normal();
    }

    private void OnMessage(RedisValue value)
    {
        var message = InvalidationMessage.Decode((byte[])value!);
        if (message is null || message.Sender == instance.Id) return;
        l1.Invalidate(message.Keys);
        var lag = TimeSpan.FromTicks(Math.Max(0, clock.GetUtcNow().UtcTicks - message.SentAtTicks));
        metrics.InvalidationReceived(lag, message.Keys);
        Received?.Invoke(lag);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invalidation subscription lost ({Failure}): L1 serves only entries younger than {Seconds} s until resubscribed, then is cleared")]
    private partial void LogSubscriptionLost(string failure, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Invalidations received again: L1 cleared (messages may have been missed) and back to its normal TTL")]
    private partial void LogL1Normal();

    [LoggerMessage(Level = LogLevel.Information, Message = "Invalidation subscription connection restored; L1 resumes once subscribed")]
    private partial void LogSubscriptionRestored();
}
