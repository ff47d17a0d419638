namespace Shop.Application.Caching;

/// <summary>
/// What a write makes stale: single keys (deleted), and version counters (moved on, so every key built on the old
/// version, e.g. every cached page of a category listing, is never read again: one command, whatever was cached).
/// </summary>
public sealed record CacheInvalidation(IReadOnlyList<CacheKey> Keys, IReadOnlyList<string> Versions)
{
    public static CacheInvalidation Of(params CacheKey[] keys) => new(keys, []);
}
