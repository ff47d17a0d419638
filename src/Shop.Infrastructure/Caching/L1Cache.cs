using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// L1: this process's in-memory cache of decoded values (a hit costs a dictionary lookup, no I/O, no
/// deserialization). Bounded by <c>Cache:L1SizeLimit</c> entries and a short, jittered TTL, because another
/// instance's write reaches it only through invalidation. "Absent" is stored as a sentinel.
/// </summary>
public sealed class L1Cache : IDisposable
{
    private static readonly object AbsentMarker = new();
    private readonly MemoryCache _memory;
    private readonly CacheOptions _options;

    public L1Cache(IOptions<CacheOptions> options)
    {
        _options = options.Value;
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, _options.L1SizeLimit), CompactionPercentage = 0.10 });
    }

    public long Count => _memory.Count;

    /// <summary>True on a hit; <paramref name="value"/> is null for a cached "absent".</summary>
    public bool TryGet(string key, out object? value)
    {
        if (_options.L1Enabled && _memory.TryGetValue(key, out var stored))
        {
            value = ReferenceEquals(stored, AbsentMarker) ? null : stored;
            return true;
        }
        value = null;
        return false;
    }

    public bool Contains(string key) => _options.L1Enabled && _memory.TryGetValue(key, out _);

    public void Set(string key, object? value, bool absent)
    {
        if (!_options.L1Enabled) return;
        var ttl = absent && _options.NegativeTtl < _options.L1Ttl ? _options.NegativeTtl : _options.L1Ttl;
        using var entry = _memory.CreateEntry(key);
        entry.Value = value ?? AbsentMarker;
        entry.Size = 1;
        entry.AbsoluteExpirationRelativeToNow = TtlJitter.Apply(ttl, _options.Jitter);
    }

    public void Remove(string key) => _memory.Remove(key);

    /// <summary>Drops everything (e.g. after the invalidation subscription was lost and messages may be missed).</summary>
    public void Clear() => _memory.Clear();

    public void Dispose() => _memory.Dispose();
}
