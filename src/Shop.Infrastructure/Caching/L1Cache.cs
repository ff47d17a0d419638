using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// L1: this process's in-memory cache of decoded values (a hit costs a dictionary lookup, no I/O, no
/// deserialization). Keyed by the logical key (<c>{product:42}</c>): the process serves one deployment, so the Redis
/// prefix would only cost a string concatenation on every hit. "Absent" is stored as a sentinel.
/// <para>Bounds: one budget of <c>Cache:L1MaxBytes</c>, where each entry is charged its encoded size (the bytes Redis
/// holds for it) but at least <c>L1MaxBytes / L1SizeLimit</c>; so L1 never holds more than <c>L1SizeLimit</c> entries
/// nor more than <c>L1MaxBytes</c> encoded bytes (the decoded objects are a small multiple of that). Nothing else is
/// kept beside the entries: keys that go stale together carry a version in the key rather than an index here.</para>
/// <para>Coherence: <see cref="Epoch"/> moves on every invalidation, so a value read before an invalidation is not
/// stored after it. While <see cref="Degraded"/> (this instance cannot receive invalidations: its subscription is down
/// or Redis is unreachable) L1 keeps serving, but only entries stored less than <c>Cache:DegradedL1Ttl</c> ago, and new
/// entries live at most that long; so a write on another instance is seen here within DegradedL1Ttl of this instance
/// noticing the outage. When the subscription is back, L1 is cleared (messages may have been missed). Meanwhile, and for
/// DegradedL1Ttl more, <see cref="TrustsRedisEntry"/> refuses Redis entries loaded before the outage (or the recovery).</para>
/// </summary>
public sealed class L1Cache : IDisposable
{
    private static readonly object AbsentMarker = new();
    private readonly MemoryCache _memory;
    private readonly CacheOptions _options;
    private readonly TimeProvider _clock;
    private readonly long _minimumCharge;
    private readonly long _degradedTtlTicks;
    private long _epoch;
    private volatile int _degradedReasons;
    private long _degradedSinceTicks = long.MinValue; // UTC ticks of the last change from normal to degraded
    private long _recoveredAtTicks = long.MinValue; // UTC ticks of the last return to normal after an outage
    private int _everNormal; // 1 once L1 left the degraded mode it starts in (the start is no outage)

    /// <summary>What L1 keeps per key: the value and when it was stored (to serve only young entries while degraded).</summary>
    private sealed class Entry(object value, long storedAt)
    {
        public object Value { get; } = value;
        public long StoredAt { get; } = storedAt;
    }

    /// <summary>Why L1 cannot trust invalidations now (flags, so two causes can overlap).</summary>
    [Flags]
    public enum DegradedReason
    {
        None = 0,
        SubscriptionDown = 1,
        RedisUnreachable = 2,
    }

    public L1Cache(IOptions<CacheOptions> options, TimeProvider? clock = null)
    {
        _options = options.Value;
        _clock = clock ?? TimeProvider.System;
        var maxEntries = Math.Max(1, _options.L1SizeLimit);
        var maxBytes = Math.Max(maxEntries, _options.L1MaxBytes);
        _minimumCharge = Math.Max(1, maxBytes / maxEntries);
        _degradedTtlTicks = (long)(_options.DegradedL1Ttl.TotalSeconds * _clock.TimestampFrequency);
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = maxBytes, CompactionPercentage = 0.10 });
    }

    public long Count => _memory.Count;

    public long Epoch => Interlocked.Read(ref _epoch);

    public TimeSpan DegradedTtl => _options.DegradedL1Ttl;

    /// <summary>True while invalidations may be missed: only entries younger than <c>Cache:DegradedL1Ttl</c> are served.</summary>
    public bool Degraded => _degradedReasons != 0;

    /// <summary>Whether L1 is read and written now.</summary>
    public bool Enabled => _options.L1Enabled;

    /// <summary>True on a hit; <paramref name="value"/> is null for a cached "absent".</summary>
    public bool TryGet(string key, out object? value)
    {
        if (Enabled && _memory.TryGetValue(key, out var stored) && stored is Entry entry
            && (_degradedReasons == 0 || _clock.GetTimestamp() - entry.StoredAt < _degradedTtlTicks))
        {
            value = ReferenceEquals(entry.Value, AbsentMarker) ? null : entry.Value;
            return true;
        }
        value = null;
        return false;
    }

    public bool Contains(string key) => TryGet(key, out _);

    /// <summary>
    /// Whether a Redis entry loaded at <paramref name="loadedAt"/> may be served as fresh. Not if it was loaded before
    /// the outage L1 is degraded for, nor, for Cache:DegradedL1Ttl after L1 left degraded mode, if it was loaded before
    /// that: a write another instance made during the outage may have deleted nothing in Redis, and its queued
    /// invalidation (<see cref="InvalidationRetries"/>) lands only once that instance reaches Redis again. Such an
    /// entry is reloaded (and still serves as a fail-safe copy). Always true before the first subscription at start.
    /// </summary>
    public bool TrustsRedisEntry(DateTimeOffset loadedAt)
    {
        if (Volatile.Read(ref _everNormal) == 0) return true;
        if (_degradedReasons != 0) return loadedAt.UtcTicks >= Interlocked.Read(ref _degradedSinceTicks);
        var recoveredAt = Interlocked.Read(ref _recoveredAtTicks);
        if (recoveredAt == long.MinValue || loadedAt.UtcTicks >= recoveredAt) return true;
        return _clock.GetUtcNow().UtcTicks - recoveredAt >= _options.DegradedL1Ttl.Ticks;
    }

    /// <summary>
    /// Stores a value read when <see cref="Epoch"/> was <paramref name="epoch"/>, unless an invalidation came since.
    /// <paramref name="encodedBytes"/> is its size in Redis when known (0: charged the minimum).
    /// </summary>
    public void Set(string key, object? value, bool absent, long epoch, int encodedBytes = 0)
    {
        if (!Enabled || epoch != Epoch) return;
        var ttl = absent && _options.NegativeTtl < _options.L1Ttl ? _options.NegativeTtl : _options.L1Ttl;
        ttl = TtlJitter.Apply(ttl, _options.Jitter);
        if (Degraded && ttl > _options.DegradedL1Ttl) ttl = _options.DegradedL1Ttl;
        var entry = new Entry(value ?? AbsentMarker, _clock.GetTimestamp());
        using (var cacheEntry = _memory.CreateEntry(key))
        {
            cacheEntry.Value = entry;
            cacheEntry.Size = Math.Max(_minimumCharge, encodedBytes + 64L); // + 64: the key and the entry's own overhead
            cacheEntry.AbsoluteExpirationRelativeToNow = ttl;
        }
        // An invalidation that raced with this store wins: drop what we just stored.
        if (epoch != Epoch) _memory.Remove(key);
    }

    /// <summary>Drops the keys and moves the epoch, so in-flight reads do not store values read before this.</summary>
    public void Invalidate(IEnumerable<string> keys)
    {
        Interlocked.Increment(ref _epoch);
        foreach (var key in keys) _memory.Remove(key);
    }

    /// <summary>Drops one entry without moving the epoch: for deletions that do not make a database read stale.</summary>
    public void Remove(string key) => _memory.Remove(key);

    /// <summary>Drops everything (e.g. the invalidation subscription is back: messages may have been missed meanwhile).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _epoch);
        _memory.Clear();
    }

    /// <summary>Invalidations may be missed from now on, for <paramref name="reason"/>: serve only young entries.</summary>
    /// <returns>True if L1 was not degraded before.</returns>
    public bool EnterDegraded(DegradedReason reason)
    {
        // Before anyone sees L1 degraded: Redis entries loaded before this moment are refused while it lasts.
        if (_degradedReasons == 0) Interlocked.Exchange(ref _degradedSinceTicks, _clock.GetUtcNow().UtcTicks);
        int before, after;
        do
        {
            before = _degradedReasons;
            after = before | (int)reason;
        }
        while (Interlocked.CompareExchange(ref _degradedReasons, after, before) != before);
        return before == 0;
    }

    /// <summary>
    /// <paramref name="reason"/> is over. L1 is cleared first: entries stored before the outage were hidden while
    /// degraded but are still there, and a message meant to drop them may have been missed (or is still queued on the
    /// instance whose publish failed).
    /// </summary>
    /// <returns>True if L1 is no longer degraded.</returns>
    public bool LeaveDegraded(DegradedReason reason)
    {
        if ((_degradedReasons & (int)reason) == 0) return false;
        // Before anyone sees L1 normal: from now on Redis entries loaded earlier are refused for a while (not after the
        // first subscription at start, which ends no outage).
        if ((_degradedReasons & ~(int)reason) == 0 && Interlocked.Exchange(ref _everNormal, 1) == 1)
            Interlocked.Exchange(ref _recoveredAtTicks, _clock.GetUtcNow().UtcTicks);
        Clear();
        int before, after;
        do
        {
            before = _degradedReasons;
            after = before & ~(int)reason;
        }
        while (Interlocked.CompareExchange(ref _degradedReasons, after, before) != before);
        return before != 0 && after == 0;
    }

    public void Dispose() => _memory.Dispose();
}
