using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// L1: this process's in-memory cache of decoded values (a hit costs a dictionary lookup, no I/O, no
/// deserialization). Bounded by <c>Cache:L1SizeLimit</c> entries and a short, jittered TTL, because another
/// instance's write reaches it only through invalidation. "Absent" is stored as a sentinel. Keyed by the logical
/// key (<c>{product:42}</c>): the process serves one deployment, so the Redis prefix would only cost a string
/// concatenation on every hit.
/// <see cref="Epoch"/> moves on every invalidation, so a value read before an invalidation is not stored after it;
/// while <see cref="Bypassed"/> (the invalidation subscription is down) L1 is neither read nor written.
/// </summary>
public sealed class L1Cache : IDisposable
{
    private static readonly object AbsentMarker = new();
    private readonly MemoryCache _memory;
    private readonly CacheOptions _options;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _groups = new(StringComparer.Ordinal);
    private long _epoch;
    private volatile bool _bypassed;

    public L1Cache(IOptions<CacheOptions> options)
    {
        _options = options.Value;
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, _options.L1SizeLimit), CompactionPercentage = 0.10 });
    }

    public long Count => _memory.Count;

    public long Epoch => Interlocked.Read(ref _epoch);

    public bool Bypassed => _bypassed;

    /// <summary>Whether L1 is read and written now (configured on, and not bypassed).</summary>
    public bool Enabled => _options.L1Enabled && !_bypassed;

    /// <summary>True on a hit; <paramref name="value"/> is null for a cached "absent".</summary>
    public bool TryGet(string key, out object? value)
    {
        if (Enabled && _memory.TryGetValue(key, out var stored))
        {
            value = ReferenceEquals(stored, AbsentMarker) ? null : stored;
            return true;
        }
        value = null;
        return false;
    }

    public bool Contains(string key) => Enabled && _memory.TryGetValue(key, out _);

    /// <summary>Stores a value read when <see cref="Epoch"/> was <paramref name="epoch"/>, unless an invalidation came since.</summary>
    public void Set(string key, object? value, bool absent, long epoch, string? group = null)
    {
        if (!Enabled || epoch != Epoch) return;
        var ttl = absent && _options.NegativeTtl < _options.L1Ttl ? _options.NegativeTtl : _options.L1Ttl;
        using (var entry = _memory.CreateEntry(key))
        {
            entry.Value = value ?? AbsentMarker;
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = TtlJitter.Apply(ttl, _options.Jitter);
            if (group is not null)
            {
                _groups.GetOrAdd(group, _ => new(StringComparer.Ordinal))[key] = 0;
                entry.RegisterPostEvictionCallback(static (k, _, _, state) =>
                {
                    var (groups, g) = ((ConcurrentDictionary<string, ConcurrentDictionary<string, byte>>, string))state!;
                    if (groups.TryGetValue(g, out var members)) members.TryRemove((string)k, out _);
                }, (_groups, group));
            }
        }
        // An invalidation that raced with this store wins: drop what we just stored.
        if (epoch != Epoch) _memory.Remove(key);
    }

    /// <summary>Drops keys and every member of the groups, and moves the epoch so in-flight reads do not store stale values.</summary>
    public void Invalidate(IEnumerable<string> keys, IEnumerable<string> groups)
    {
        Interlocked.Increment(ref _epoch);
        foreach (var key in keys) _memory.Remove(key);
        foreach (var group in groups)
        {
            if (!_groups.TryRemove(group, out var members)) continue;
            foreach (var key in members.Keys) _memory.Remove(key);
        }
    }

    /// <summary>Drops one entry without moving the epoch: for deletions that do not make a database read stale.</summary>
    public void Remove(string key) => _memory.Remove(key);

    /// <summary>Drops everything (e.g. the invalidation subscription was lost: messages may have been missed).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _epoch);
        _memory.Clear();
        _groups.Clear();
    }

    /// <summary>Stop using L1 (cleared) until <see cref="Resume"/>: used while invalidations cannot be received.</summary>
    public void Bypass()
    {
        _bypassed = true;
        Clear();
    }

    public void Resume()
    {
        Clear();
        _bypassed = false;
    }

    public void Dispose() => _memory.Dispose();
}
