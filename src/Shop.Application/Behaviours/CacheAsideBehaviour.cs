using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Behaviours;

/// <summary>
/// Cache-aside for every <see cref="ICacheableQuery"/>: look in the cache; on a miss run the handler and cache
/// its answer. A <see cref="NotFoundException"/> is cached as "absent" and rethrown on later hits, so a missing id
/// does not reach PostgreSQL again until the short negative TTL ends. Runs after authorization and validation.
/// </summary>
public sealed class CacheAsideBehaviour<TMessage, TResponse>(ICacheAside cache, CacheTrace trace) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, ICacheableQuery, IMessage
    where TResponse : class
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var key = message.CacheKey;
        var result = await cache.GetOrLoadAsync(key, (message, next), static async (state, ct) =>
        {
            try
            {
                return await state.next(state.message, ct);
            }
            catch (NotFoundException)
            {
                return null;
            }
        }, cancellationToken);

        trace.Record(result.Outcome);
        return result.Value ?? throw new NotFoundException(key.Resource, key.Id);
    }
}
