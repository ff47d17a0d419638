using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Caching;

namespace Shop.Application.Behaviours;

/// <summary>
/// For an <see cref="ICacheVersionedQuery{TSelf}"/>: reads the current version of its counter (L1, else one Redis GET)
/// and passes on a copy of the query that carries it, so the cache-aside behaviour after it reads and fills the key
/// of that version. The version is read before the database is, so a page loaded before a write is stored under the
/// version that write moved away from, where nobody reads it again.
/// </summary>
public sealed class CacheVersionBehaviour<TMessage, TResponse>(ICacheVersions versions) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, ICacheVersionedQuery<TMessage>, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var version = await versions.CurrentAsync(message.CacheVersionKey, cancellationToken);
        return await next(message.WithCacheVersion(version), cancellationToken);
    }
}
