using Microsoft.Extensions.Options;
using Shop.Application.Caching;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Turns logical keys into physical Redis keys: <c>{prefix}:v1:{product:42}</c>. Bump <see cref="SchemeVersion"/>
/// when a cached shape changes incompatibly: old entries are then simply never read again and expire.
/// A key's lock shares its hash tag, so value and lock are always in one Redis Cluster slot.
/// </summary>
public sealed class RedisKeyspace
{
    public const string SchemeVersion = "v1";

    public RedisKeyspace(IOptions<CacheOptions> options)
    {
        var prefix = options.Value.KeyPrefix;
        if (string.IsNullOrWhiteSpace(prefix) || prefix.AsSpan().IndexOfAny("{} ") >= 0)
            throw new ArgumentException("Cache:KeyPrefix must be non-empty and contain no braces or spaces.");
        Root = $"{prefix}:{SchemeVersion}:";
        InvalidationChannel = $"{prefix}:{SchemeVersion}:invalidations";
    }

    /// <summary>The part every key of this deployment starts with, e.g. <c>shop:v1:</c>.</summary>
    public string Root { get; }

    /// <summary>Pub/sub ignores database numbers, so the channel carries the prefix instead.</summary>
    public string InvalidationChannel { get; }

    public string Key(CacheKey key) => Root + key.Value;

    public static string LockKey(string physicalKey) => physicalKey + ":lock";
}
