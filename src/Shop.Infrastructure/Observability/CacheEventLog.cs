using System.Diagnostics;

namespace Shop.Infrastructure.Observability;

/// <summary>
/// The live event view's memory: the last <see cref="Capacity"/> cache events of this instance (L1 hit, L2 hit, miss,
/// load with its duration, coalesced, stampede wait, invalidation sent and received, write-through, stale served,
/// breaker change, fail-open), for <c>GET /api/cache/events</c> and the /cache page. One per host, reached as
/// <see cref="ShopMetrics.Events"/>: the metric methods that have a key record here too, so a metric and its event are one call.
/// Guarantees: bounded (a fixed array of structs, the oldest overwritten); recording never blocks, never throws and
/// allocates nothing (an interlocked sequence number picks the slot; keys and details are strings that already exist);
/// holds keys and outcomes only, never a cached value or a token; a reader never returns a half-written slot (each
/// slot carries its sequence number, checked before and after the copy, a seqlock).
/// Does not: keep every event (a reader that polls slower than the traffic fills the ring misses the overwritten ones,
/// and <see cref="Read"/> says so); order events of concurrent requests by more than their sequence numbers; survive a
/// restart or describe other instances.
/// </summary>
public sealed class CacheEventLog
{
    /// <summary>A power of two, so a sequence number maps to a slot with a mask.</summary>
    public const int Capacity = 512;

    private const int Mask = Capacity - 1;

    private readonly Slot[] _slots = new Slot[Capacity];
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _startUtc = DateTimeOffset.UtcNow;
    private long _last; // sequence number of the latest event; the first event is 1

    private struct Slot
    {
        public long Sequence; // 0 while being written
        public long Timestamp;
        public string Key;
        public string? Detail;
        public double DurationMs;
        public CacheEventKind Kind;
    }

    /// <summary>Sequence number of the latest event (0: none yet).</summary>
    public long Last => Volatile.Read(ref _last);

    public void Record(CacheEventKind kind, string key, string? detail = null, double durationMs = 0)
    {
        var sequence = Interlocked.Increment(ref _last);
        ref var slot = ref _slots[(int)(sequence & Mask)];
        Interlocked.Exchange(ref slot.Sequence, 0); // a full fence: readers see the slot as busy before any field changes
        slot.Timestamp = Stopwatch.GetTimestamp();
        slot.Key = key;
        slot.Detail = detail;
        slot.DurationMs = durationMs;
        slot.Kind = kind;
        Volatile.Write(ref slot.Sequence, sequence);
    }

    /// <summary>One event per key of an invalidation (keys are logical keys such as <c>{product:42}</c>).</summary>
    public void RecordEach(CacheEventKind kind, IReadOnlyList<string> keys)
    {
        foreach (var key in keys) Record(kind, key);
    }

    /// <summary>
    /// Events after sequence number <paramref name="after"/>, oldest first, at most <paramref name="limit"/> (the newest
    /// ones), those whose key contains <paramref name="keyFilter"/> when one is given. <c>Missed</c> counts events that
    /// were overwritten before this read could see them.
    /// </summary>
    public (IReadOnlyList<CacheEvent> Events, long Last, long Missed) Read(long after, string? keyFilter, int limit)
    {
        var last = Last;
        var first = Math.Max(Math.Max(after, 0) + 1, last - Capacity + 1);
        var missed = Math.Max(0, first - Math.Max(after, 0) - 1);
        var events = new List<CacheEvent>();
        for (var sequence = first; sequence <= last; sequence++)
        {
            ref var slot = ref _slots[(int)(sequence & Mask)];
            if (Volatile.Read(ref slot.Sequence) != sequence) { missed++; continue; } // overwritten or still being written
            var copy = slot;
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref slot.Sequence) != sequence) { missed++; continue; }
            if (!string.IsNullOrEmpty(keyFilter) && !copy.Key.Contains(keyFilter, StringComparison.OrdinalIgnoreCase)) continue;
            events.Add(new CacheEvent(sequence, TimeOf(copy.Timestamp), copy.Key, LevelOf(copy.Kind), OutcomeOf(copy.Kind),
                copy.Kind == CacheEventKind.Load ? Math.Round(copy.DurationMs, 3) : null, copy.Detail));
        }
        if (events.Count > limit) events.RemoveRange(0, events.Count - limit);
        return (events, last, missed);
    }

    private DateTimeOffset TimeOf(long timestamp) => _startUtc + Stopwatch.GetElapsedTime(_startTimestamp, timestamp);

    private static string LevelOf(CacheEventKind kind) => kind switch
    {
        CacheEventKind.L1Hit or CacheEventKind.L1NegativeHit or CacheEventKind.InvalidationReceived => "l1",
        CacheEventKind.L2Hit or CacheEventKind.L2NegativeHit or CacheEventKind.StampedeWait or CacheEventKind.InvalidationSent
            or CacheEventKind.WriteThrough or CacheEventKind.BreakerChange or CacheEventKind.FailOpen => "l2",
        CacheEventKind.Coalesced => "process",
        _ => "db",
    };

    private static string OutcomeOf(CacheEventKind kind) => kind switch
    {
        CacheEventKind.L1Hit => "l1_hit",
        CacheEventKind.L1NegativeHit => "l1_negative_hit",
        CacheEventKind.L2Hit => "l2_hit",
        CacheEventKind.L2NegativeHit => "l2_negative_hit",
        CacheEventKind.Miss => "miss",
        CacheEventKind.Load => "load",
        CacheEventKind.LoadFailed => "load_failed",
        CacheEventKind.Coalesced => "coalesced",
        CacheEventKind.StampedeWait => "stampede_wait",
        CacheEventKind.InvalidationSent => "invalidation_sent",
        CacheEventKind.InvalidationReceived => "invalidation_received",
        CacheEventKind.WriteThrough => "write_through",
        CacheEventKind.Stale => "stale_served",
        CacheEventKind.BreakerChange => "breaker_change",
        CacheEventKind.FailOpen => "fail_open",
        _ => "unknown",
    };
}

/// <summary>What happened to a key (see <see cref="CacheEventLog"/>).</summary>
public enum CacheEventKind : byte
{
    L1Hit,
    L1NegativeHit,
    L2Hit,
    L2NegativeHit,
    Miss,
    Load,
    LoadFailed,
    Coalesced,
    StampedeWait,
    InvalidationSent,
    InvalidationReceived,
    WriteThrough,
    Stale,
    BreakerChange,
    FailOpen,
}
