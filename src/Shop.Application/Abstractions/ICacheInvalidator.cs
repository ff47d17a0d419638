using Shop.Application.Caching;

namespace Shop.Application.Abstractions;

/// <summary>Explicit invalidation after a committed write (port).</summary>
public interface ICacheInvalidator
{
    /// <summary>
    /// Deletes the keys (and moves the version counters) in Redis (one pipelined round trip, together with the pub/sub message) and drops
    /// them from every instance's L1. Each key's fill lease is revoked too, so a read that loaded older data before
    /// this write cannot store it afterwards.
    /// </summary>
    ValueTask InvalidateAsync(CacheInvalidation invalidation, CancellationToken cancellationToken);
}
