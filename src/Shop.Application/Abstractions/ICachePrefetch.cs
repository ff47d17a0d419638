using Shop.Application.Caching;

namespace Shop.Application.Abstractions;

/// <summary>Prefetch for composite reads (port).</summary>
public interface ICachePrefetch
{
    /// <summary>
    /// Reads the keys that are not in L1 from Redis in one round trip and puts what it finds in L1, so the reads that
    /// follow hit memory. Returns <see cref="CacheOutcome.L2"/> when anything came from Redis, else null.
    /// </summary>
    ValueTask<CacheOutcome?> PrefetchAsync(IReadOnlyList<CachePrefetchKey> keys, CancellationToken cancellationToken);
}
