using Shop.Application.Caching;

namespace Shop.Application.Abstractions;

/// <summary>Write-through after a committed write (port).</summary>
public interface IWriteThroughCache
{
    /// <summary>
    /// Stores a value just committed to the database: in Redis only if the entry there is absent or older
    /// (compare-and-set on <paramref name="version"/>), in this instance's L1, and drops it from the others' L1.
    /// </summary>
    ValueTask WriteThroughAsync<T>(CacheKey key, T value, long version, CancellationToken cancellationToken)
        where T : class;
}
