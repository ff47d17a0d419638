namespace Shop.Application.Caching;

/// <summary>An entity version (the row's concurrency token), stored with its cache entry.</summary>
public interface IVersioned
{
    long Version { get; }
}

/// <summary>What a write makes stale: single keys, and groups of keys (e.g. every cached page of a category listing).</summary>
public sealed record CacheInvalidation(IReadOnlyList<CacheKey> Keys, IReadOnlyList<string> Groups)
{
    public static CacheInvalidation Of(params CacheKey[] keys) => new(keys, []);
}

/// <summary>
/// Explicit invalidation: after the handler committed, <see cref="Behaviours.CacheInvalidationBehaviour{TMessage, TResponse}"/>
/// deletes these keys in Redis (one pipelined round trip) and tells every instance to drop them from L1.
/// </summary>
public interface IInvalidatesCache<in TResponse>
{
    CacheInvalidation InvalidationFor(TResponse response);
}

/// <summary>
/// Write-through: after the handler committed, <see cref="Behaviours.WriteThroughBehaviour{TMessage, TResponse}"/> stores
/// the response (the new value) under <see cref="CacheKey"/> with a compare-and-set on its version, updates this
/// instance's L1, and tells the other instances to drop theirs.
/// </summary>
public interface IWriteThroughCommand
{
    CacheKey CacheKey { get; }
}
