namespace Shop.Application.Caching;

/// <summary>
/// Explicit invalidation: after the handler committed, <see cref="Behaviours.CacheInvalidationBehaviour{TMessage, TResponse}"/>
/// deletes these keys in Redis (one pipelined round trip) and tells every instance to drop them from L1.
/// </summary>
public interface IInvalidatesCache<in TResponse>
{
    CacheInvalidation InvalidationFor(TResponse response);
}

/// <summary>
/// What a write makes stale: single keys (deleted), and version counters (moved on, so every key built on the old
/// version, e.g. every cached page of a category listing, is never read again: one command, whatever was cached).
/// </summary>
public sealed record CacheInvalidation(IReadOnlyList<CacheKey> Keys, IReadOnlyList<string> Versions)
{
    public static CacheInvalidation Of(params CacheKey[] keys) => new(keys, []);
}
