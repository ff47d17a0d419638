namespace Shop.Application.Caching;

/// <summary>
/// Declares that a query's response is cached under <see cref="CacheKey"/> (cache-aside, applied by
/// <see cref="Behaviours.CacheAsideBehaviour{TMessage, TResponse}"/>). The TTL comes from the key's entry type.
/// A handler's <see cref="Common.NotFoundException"/> is cached as "absent" (negative caching).
/// </summary>
public interface ICacheableQuery
{
    CacheKey CacheKey { get; }
}

/// <summary>
/// A query for several entities by id whose items are cached one key each, so a batch shares entries with
/// single reads. <see cref="Behaviours.CacheAsideBatchBehaviour{TMessage, TResponse}"/> serves what it can from
/// the cache and sends the handler a query for the rest only.
/// </summary>
public interface ICacheableBatchQuery<TItem> : ICacheableBatchQuery
    where TItem : class
{
    IReadOnlyList<int> Ids { get; }

    CacheKey KeyFor(int id);

    int IdOf(TItem item);

    /// <summary>The same query for a subset of the ids.</summary>
    ICacheableBatchQuery<TItem> WithIds(IReadOnlyList<int> ids);
}

/// <summary>Non-generic marker, so the batch behaviour is closed only for batch queries.</summary>
public interface ICacheableBatchQuery;

/// <summary>Keys a composite query will read through other cached queries; they are fetched together first.</summary>
public interface ICachePrefetchingQuery
{
    IReadOnlyList<CacheKey> PrefetchKeys { get; }
}
