using System.Runtime.CompilerServices;
using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Behaviours;

/// <summary>
/// Cache-aside for every <see cref="ICacheableQuery"/>: look in the cache; on a miss run the handler and cache
/// its answer. A <see cref="NotFoundException"/> is cached as "absent" and rethrown on later hits, so a missing id
/// does not reach PostgreSQL again until the short negative TTL ends. Runs after authorization and validation.
/// When PostgreSQL is down or slow the cache may answer a stale copy (recorded as <see cref="CacheOutcome.Stale"/> with
/// its age) or, with nothing to fall back on, throw <see cref="ServiceUnavailableException"/> (503 + Retry-After).
/// </summary>
public sealed class CacheAsideBehaviour<TMessage, TResponse>(ICacheAside cache, CacheTrace trace) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, ICacheableQuery, IMessage
    where TResponse : class
{
    // A Redis hit or a load completes after an await: the state machine's box comes from a pool, not a new one per request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
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

        trace.Record(result.Outcome, result.Age);
        return result.Value ?? throw new NotFoundException(key.Resource, key.Id);
    }
}
