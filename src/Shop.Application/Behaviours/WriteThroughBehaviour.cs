using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Caching;

namespace Shop.Application.Behaviours;

/// <summary>
/// Write-through for commands that declare <see cref="IWriteThroughCommand"/>: after the commit, the new value goes
/// into the cache, so the next read anywhere is a hit with fresh data. A failed write leaves the cache untouched.
/// </summary>
public sealed class WriteThroughBehaviour<TMessage, TResponse>(IWriteThroughCache cache) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IWriteThroughCommand, IMessage
    where TResponse : class, IVersioned
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        await cache.WriteThroughAsync(message.CacheKey, response, response.Version, CancellationToken.None);
        return response;
    }
}
