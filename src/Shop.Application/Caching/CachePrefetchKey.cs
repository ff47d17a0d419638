namespace Shop.Application.Caching;

/// <summary>
/// A key to prefetch together with the type its value has, so the cache can decode it into L1 ahead of the read.
/// Build one with <see cref="Of{T}"/>.
/// </summary>
public abstract class CachePrefetchKey
{
    private CachePrefetchKey(CacheKey key) => Key = key;

    public CacheKey Key { get; }

    public static CachePrefetchKey Of<T>(CacheKey key)
        where T : class => new Typed<T>(key);

    /// <summary>Calls <see cref="ICachePrefetchKeyVisitor.Visit{T}"/> with this key's value type.</summary>
    public abstract void Accept(ICachePrefetchKeyVisitor visitor);

    private sealed class Typed<T>(CacheKey key) : CachePrefetchKey(key)
        where T : class
    {
        public override void Accept(ICachePrefetchKeyVisitor visitor) => visitor.Visit<T>(Key);
    }
}
