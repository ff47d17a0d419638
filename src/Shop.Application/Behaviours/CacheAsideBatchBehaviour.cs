using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Caching;

namespace Shop.Application.Behaviours;

/// <summary>
/// Cache-aside for a batch of ids (<see cref="ICacheableBatchQuery{TItem}"/>): L1 first, then every remaining
/// key from Redis in one round trip, then one handler call (one SQL query) for the ids still missing, whose
/// answers are back-filled. Items share keys with single reads, so a batch warms the cache for them too.
/// The query itself runs the typed steps (<see cref="CacheAsideBatch"/>), so no reflection finds the item type.
/// </summary>
public sealed class CacheAsideBatchBehaviour<TMessage, TResponse>(IBatchCacheRead cache, CacheTrace trace) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, ICacheableBatch<TResponse>, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        message.ReadThroughAsync(cache, trace, (subset, ct) => next((TMessage)subset, ct), cancellationToken);
}
