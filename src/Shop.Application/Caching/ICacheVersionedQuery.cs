namespace Shop.Application.Caching;

/// <summary>
/// A cacheable query whose key embeds a version counter (a category's listing pages:
/// <c>{category:3}:v17:products:p1:s20</c>). <see cref="Behaviours.CacheVersionBehaviour{TMessage, TResponse}"/> reads
/// the current version of <see cref="CacheVersionKey"/> and passes on <see cref="WithCacheVersion"/>'s copy, whose
/// <see cref="ICacheableQuery.CacheKey"/> carries it. A write names the counter in <see cref="CacheInvalidation.Versions"/>.
/// </summary>
public interface ICacheVersionedQuery<out TSelf> : ICacheableQuery
{
    /// <summary>The logical key of the version counter, e.g. <c>{category:3}:ver</c>.</summary>
    string CacheVersionKey { get; }

    TSelf WithCacheVersion(long version);
}
