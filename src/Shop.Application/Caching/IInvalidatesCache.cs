namespace Shop.Application.Caching;

/// <summary>
/// Explicit invalidation: after the handler committed, <see cref="Behaviours.CacheInvalidationBehaviour{TMessage, TResponse}"/>
/// deletes these keys in Redis (one pipelined round trip) and tells every instance to drop them from L1.
/// </summary>
public interface IInvalidatesCache<in TResponse>
{
    CacheInvalidation InvalidationFor(TResponse response);
}
