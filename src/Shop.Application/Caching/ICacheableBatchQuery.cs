using Shop.Application.Abstractions;
using Shop.Application.Behaviours;

namespace Shop.Application.Caching;

/// <summary>
/// A query for several entities by id whose items are cached one key each, so a batch shares entries with
/// single reads. <see cref="Behaviours.CacheAsideBatchBehaviour{TMessage, TResponse}"/> serves what it can from
/// the cache and sends the handler a query for the rest only.
/// </summary>
public interface ICacheableBatchQuery<TItem> : ICacheableBatch<IReadOnlyList<TItem>>
    where TItem : class
{
    IReadOnlyList<int> Ids { get; }

    CacheKey KeyFor(int id);

    int IdOf(TItem item);

    /// <summary>The same query for a subset of the ids.</summary>
    ICacheableBatchQuery<TItem> WithIds(IReadOnlyList<int> ids);

    ValueTask<IReadOnlyList<TItem>> ICacheableBatch<IReadOnlyList<TItem>>.ReadThroughAsync(
        IBatchCacheRead cache, CacheTrace trace, Func<ICacheableBatch<IReadOnlyList<TItem>>, CancellationToken, ValueTask<IReadOnlyList<TItem>>> load,
        CancellationToken cancellationToken) =>
        CacheAsideBatch.ReadThroughAsync(this, cache, trace, load, cancellationToken);
}
