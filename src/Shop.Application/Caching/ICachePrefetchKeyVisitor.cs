namespace Shop.Application.Caching;

/// <summary>Receives a <see cref="CachePrefetchKey"/> with its value type (the infrastructure decodes with it).</summary>
public interface ICachePrefetchKeyVisitor
{
    void Visit<T>(CacheKey key)
        where T : class;
}
