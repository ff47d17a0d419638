using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Shop.Application.Caching;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Fail-safe copies in this process: the last value each key was read or loaded with, kept for its TTL +
/// <c>Cache:FailSafeMaxStaleness</c>, bounded by <c>Cache:L1SizeLimit</c> entries (least recently used go first).
/// Used only when PostgreSQL fails and Redis has no copy (unreachable, or a write deleted the entry just before), so a
/// recently cached product still answers (STALE, with its age) through an outage. Does not: follow invalidations (a
/// write's own deletion in Redis is what can send a read here, and a write made on another instance is not seen here),
/// so such an answer can be older than the last write, by at most the stated staleness.
/// </summary>
public sealed class FailSafeCopies : IDisposable
{
    private readonly MemoryCache _memory;
    private readonly CacheOptions _options;

    public FailSafeCopies(IOptions<CacheOptions> options)
    {
        _options = options.Value;
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, _options.L1SizeLimit), CompactionPercentage = 0.10 });
    }

    public readonly record struct Copy(object Value, DateTimeOffset LoadedAt);

    public long Count => _memory.Count;

    public void Keep(CacheKey key, object? value, DateTimeOffset loadedAt)
    {
        if (value is null || _options.FailSafeMaxStaleness <= TimeSpan.Zero) return; // "absent" is not kept stale
        // Every Redis hit of an entry calls this with the same load (same LoadedAt, so the same value and expiry): the
        // copy kept already stands, and looking it up marks it recently used. Only a new load replaces it.
        if (_memory.TryGetValue(key.Value, out var stored) && stored is Copy kept && kept.LoadedAt == loadedAt) return;
        using var entry = _memory.CreateEntry(key.Value);
        entry.Value = new Copy(value, loadedAt);
        entry.Size = 1;
        entry.AbsoluteExpiration = loadedAt + _options.TtlFor(key.EntryType) + _options.FailSafeMaxStaleness;
    }

    public bool TryGet(CacheKey key, out Copy copy)
    {
        if (_memory.TryGetValue(key.Value, out var stored) && stored is Copy c)
        {
            copy = c;
            return true;
        }
        copy = default;
        return false;
    }

    public void Dispose() => _memory.Dispose();
}
