using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Caching;

namespace Shop.Application.Behaviours;

/// <summary>
/// For composite queries (<see cref="ICachePrefetchingQuery"/>) that read several cached queries: fetches all
/// their keys in one round trip first (they share a hash tag, so one MGET serves them on Redis Cluster too) into L1,
/// where the inner reads find them. The request's X-Cache says L2 when the prefetch read anything from Redis.
/// </summary>
public sealed class CachePrefetchBehaviour<TMessage, TResponse>(ICachePrefetch cache, CacheTrace trace) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, ICachePrefetchingQuery, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (await cache.PrefetchAsync(message.PrefetchKeys, cancellationToken) is { } outcome) trace.Record(outcome);
        return await next(message, cancellationToken);
    }
}
