using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Caching;

namespace Shop.Application.Behaviours;

/// <summary>
/// Explicit invalidation for commands that declare <see cref="IInvalidatesCache{TResponse}"/>. Runs only after the
/// handler (and so the database commit) succeeded: a failed write leaves the cache untouched.
/// </summary>
public sealed class CacheInvalidationBehaviour<TMessage, TResponse>(ICacheInvalidator cache) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IInvalidatesCache<TResponse>, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        // The commit is done; the caller's cancellation must not leave the cache stale.
        await cache.InvalidateAsync(message.InvalidationFor(response), CancellationToken.None);
        return response;
    }
}
