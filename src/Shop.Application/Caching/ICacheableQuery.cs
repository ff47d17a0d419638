namespace Shop.Application.Caching;

/// <summary>
/// Declares that a query's response is cached under <see cref="CacheKey"/> (cache-aside, applied by
/// <see cref="Behaviours.CacheAsideBehaviour{TMessage, TResponse}"/>). The TTL comes from the key's entry type.
/// A handler's <see cref="Common.NotFoundException"/> is cached as "absent" (negative caching).
/// </summary>
public interface ICacheableQuery
{
    CacheKey CacheKey { get; }
}
