using Shop.Application.Abstractions;

namespace Shop.Application.Caching;

/// <summary>
/// What <see cref="Behaviours.CacheAsideBatchBehaviour{TMessage, TResponse}"/> is closed for: a batch query whose response
/// type is known to the behaviour. Implement <see cref="ICacheableBatchQuery{TItem}"/>, which supplies
/// <see cref="ReadThroughAsync"/> with the item type in hand, so the behaviour needs no reflection.
/// </summary>
public interface ICacheableBatch<TResponse>
{
    /// <summary>
    /// Serves what it can from the cache, calls <paramref name="load"/> once with the same query for the missing ids only,
    /// fills the cache with its answer and records the outcome in <paramref name="trace"/>.
    /// </summary>
    ValueTask<TResponse> ReadThroughAsync(
        IBatchCacheRead cache, CacheTrace trace, Func<ICacheableBatch<TResponse>, CancellationToken, ValueTask<TResponse>> load,
        CancellationToken cancellationToken);
}
