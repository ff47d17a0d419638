using Microsoft.Extensions.Options;
using Shop.Application.Abstractions;
using Shop.Application.Caching;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Explicit invalidation after a committed write (the <see cref="ICacheInvalidator"/> port): deletes the keys (with
/// their fill leases) and moves the version counters on in Redis (one command each, whatever was cached under them) and publishes one message to the other instances, in one round trip
/// (<see cref="InvalidationPublisher"/>); then drops them from this instance's L1 once, after the Redis delete, so
/// nothing this instance re-read from Redis before the delete landed survives (the epoch refuses fills that read
/// earlier). If Redis cannot be reached, the message goes to the <see cref="InvalidationRetries"/>.
/// Guarantees: when it returns, this instance serves nothing older than the write, and Redis neither unless it was
/// unreachable. Does not: reach an L1 whose subscription is down (that instance clears and bypasses its L1 until
/// resubscribed), or make Redis fresh during an outage (the retry does, or the TTL).
/// </summary>
public sealed class ExplicitInvalidation(L1Cache l1, InvalidationPublisher publisher, InvalidationRetries retries, IOptions<CacheOptions> options)
    : ICacheInvalidator
{
    public async ValueTask InvalidateAsync(CacheInvalidation invalidation, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return;
        // L1 drops the counters too: the next read fetches the new version, and the old version's pages are never read.
        string[] keys = [.. invalidation.Keys.Select(k => k.Value), .. invalidation.Versions];
        var message = publisher.Message(keys, invalidation.Versions);
        if (!await publisher.TrySendAsync(message)) retries.Enqueue(message);
        l1.Invalidate(keys);
    }
}
