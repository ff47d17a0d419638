using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Caching;

namespace Shop.Application.Behaviours;

/// <summary>
/// For composite queries (<see cref="ICachePrefetchingQuery"/>) that read several cached queries: fetches all
/// their keys in one round trip first (they share a hash tag, so one MGET serves them on Redis Cluster too).
/// </summary>
public sealed class CachePrefetchBehaviour<TMessage, TResponse>(ICache cache) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, ICachePrefetchingQuery, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        await cache.PrefetchAsync(message.PrefetchKeys, cancellationToken);
        return await next(message, cancellationToken);
    }
}
