using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// The retry queue of invalidations that could not reach Redis (it was down at write time), retried in order until
/// Redis answers. Bounded:
/// at most <see cref="Capacity"/> messages; beyond that the oldest is dropped (and logged), so an outage cannot grow
/// memory without limit. Guarantees: a queued message is sent (deletes + publish) once Redis is back, unless dropped;
/// a message is removed only after it was sent; sends bypass this instance's circuit breaker (a background loop, no
/// request waits on it), so a queued message lands within a retry (100 ms + Cache:RedisTimeout) of Redis answering
/// again, even while this instance's breaker is still open. Does not: survive a restart (then the keys expire after their TTL), or
/// keep Redis fresh meanwhile (entries stay stale in Redis until the retry, at most TTL × 1.1).
/// </summary>
public sealed partial class InvalidationRetries : BackgroundService
{
    /// <summary>The most messages kept while Redis is unreachable.</summary>
    public const int Capacity = 10_000;

    private readonly InvalidationPublisher _publisher;
    private readonly ILogger<InvalidationRetries> _logger;
    private readonly Channel<InvalidationMessage> _pending;

    public InvalidationRetries(InvalidationPublisher publisher, ILogger<InvalidationRetries> logger, int capacity = Capacity)
    {
        _publisher = publisher;
        _logger = logger;
        _pending = Channel.CreateBounded<InvalidationMessage>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => LogDroppedPending(capacity));
    }

    public int Pending => _pending.Reader.Count;

    /// <summary>Queues a message for retry; if the queue is full the oldest message is dropped.</summary>
    public void Enqueue(InvalidationMessage message) => _pending.Writer.TryWrite(message);

    /// <summary>The oldest message waiting (for tests and diagnostics).</summary>
    public bool TryPeek(out InvalidationMessage? message) => _pending.Reader.TryPeek(out message);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _pending.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (reader.TryPeek(out var message) && await _publisher.TrySendAsync(message, throughBreaker: false))
                {
                    // Dequeue what was sent, unless overflow already dropped it while it was being sent.
                    if (reader.TryPeek(out var head) && ReferenceEquals(head, message)) reader.TryRead(out _);
                }
                if (reader.Count > 0) await Task.Delay(100, stoppingToken); // Redis still down: try again shortly
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "More than {Max} invalidations pending while Redis is unreachable: dropped the oldest; those keys stay stale in Redis until their TTL")]
    private partial void LogDroppedPending(int max);
}
