namespace Shop.Application.Caching;

/// <summary>What a write makes stale: single keys, and groups of keys (e.g. every cached page of a category listing).</summary>
public sealed record CacheInvalidation(IReadOnlyList<CacheKey> Keys, IReadOnlyList<string> Groups)
{
    public static CacheInvalidation Of(params CacheKey[] keys) => new(keys, []);
}
