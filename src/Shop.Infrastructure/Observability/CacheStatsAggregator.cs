using System.Diagnostics.Metrics;

namespace Shop.Infrastructure.Observability;

/// <summary>
/// The app's own view of its cache for <c>/api/cache/stats</c> and the <c>/cache</c> page: a
/// <see cref="MeterListener"/> on the Shop meter (and on ASP.NET Core's request-duration histogram) that keeps
/// totals since start and a 60-slot ring of per-second figures, so "hit rate over the last minute" needs no
/// Prometheus. Listens only to meters created by this host's <see cref="IMeterFactory"/>: several hosts in one
/// process (the integration tests) never see each other's counts.
/// Cost: one short lock per measurement; the ring is fixed-size, so memory does not grow with traffic.
/// </summary>
public sealed class CacheStatsAggregator : IDisposable
{
    public const int WindowSeconds = 60;

    /// <summary>Upper bounds (ms) of the request-latency buckets the percentiles are estimated from.</summary>
    internal static readonly double[] LatencyBoundsMs = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];

    private enum Kind
    {
        Lookup,
        Load,
        FailOpen,
        StampedeWait,
        Coalesced,
        InvalidationPublished,
        InvalidationReceived,
        Request,
    }

    private static readonly Dictionary<string, Kind> ShopInstruments = new(StringComparer.Ordinal)
    {
        [ShopMetricNames.Lookups] = Kind.Lookup,
        [ShopMetricNames.LoadDuration] = Kind.Load,
        [ShopMetricNames.FailOpen] = Kind.FailOpen,
        [ShopMetricNames.StampedeWaits] = Kind.StampedeWait,
        [ShopMetricNames.Coalesced] = Kind.Coalesced,
        [ShopMetricNames.InvalidationsPublished] = Kind.InvalidationPublished,
        [ShopMetricNames.InvalidationsReceived] = Kind.InvalidationReceived,
    };

    private readonly MeterListener _listener = new();
    private readonly IMeterFactory _scope;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly LookupCounts _total = new();
    private readonly Dictionary<string, LookupCounts> _byEntryType = new(StringComparer.Ordinal);
    private readonly long[] _events = new long[Enum.GetValues<Kind>().Length];
    private readonly Second[] _ring = new Second[WindowSeconds];
    private double _loadMsTotal;

    public CacheStatsAggregator(IMeterFactory meterFactory, TimeProvider clock)
    {
        _scope = meterFactory;
        _clock = clock;
        StartedAt = clock.GetUtcNow();
        for (var i = 0; i < _ring.Length; i++) _ring[i] = new Second();

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter.Scope, _scope)) return; // another host's meter
            if (instrument.Meter.Name == ShopMetrics.MeterName && ShopInstruments.TryGetValue(instrument.Name, out var kind))
                listener.EnableMeasurementEvents(instrument, kind);
            else if (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration")
                listener.EnableMeasurementEvents(instrument, Kind.Request);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => OnMeasurement((Kind)state!, value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => OnMeasurement((Kind)state!, value, tags));
        _listener.Start();
    }

    public DateTimeOffset StartedAt { get; }

    private void OnMeasurement(Kind kind, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (kind)
        {
            case Kind.Lookup:
                string? level = null, result = null, entryType = null;
                foreach (var tag in tags)
                {
                    switch (tag.Key)
                    {
                        case "level": level = tag.Value as string; break;
                        case "result": result = tag.Value as string; break;
                        case "entry_type": entryType = tag.Value as string; break;
                    }
                }
                RecordLookup(level, result, entryType ?? "unknown", (long)value);
                break;
            case Kind.Request:
                if (IsApplicationRoute(tags)) RecordRequest(value * 1000); // the histogram is in seconds
                break;
            case Kind.Load:
                lock (_gate)
                {
                    _events[(int)kind]++;
                    _loadMsTotal += value;
                    var second = Current();
                    second.Loads++;
                    second.LoadMs += value;
                }
                break;
            default:
                lock (_gate)
                {
                    _events[(int)kind] += (long)value;
                    if (kind == Kind.FailOpen) Current().FailOpen += (long)value;
                }
                break;
        }
    }

    /// <summary>Only the API's own routes count as request latency: not /metrics, health, the stats page polling itself.</summary>
    private static bool IsApplicationRoute(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key != "http.route") continue;
            return tag.Value is string route
                && route.StartsWith("/api/", StringComparison.Ordinal)
                && !route.StartsWith("/api/cache", StringComparison.Ordinal)
                && !route.StartsWith("/api/dev", StringComparison.Ordinal);
        }
        return false;
    }

    private void RecordLookup(string? level, string? result, string entryType, long count)
    {
        lock (_gate)
        {
            _total.Add(level, result, count);
            if (!_byEntryType.TryGetValue(entryType, out var perType)) _byEntryType[entryType] = perType = new LookupCounts();
            perType.Add(level, result, count);
            Current().Lookups.Add(level, result, count);
        }
    }

    private void RecordRequest(double milliseconds)
    {
        var bucket = Array.BinarySearch(LatencyBoundsMs, milliseconds);
        if (bucket < 0) bucket = ~bucket;
        lock (_gate)
        {
            var second = Current();
            second.Requests++;
            second.RequestMs += milliseconds;
            second.Latency[bucket]++;
        }
    }

    private long Now() => _clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The ring slot of the current second, reset if it still holds a second from a minute ago. Under _gate.</summary>
    private Second Current()
    {
        var now = Now();
        var slot = _ring[(int)(now % WindowSeconds)];
        if (slot.Stamp != now) slot.Reset(now);
        return slot;
    }

    public AppCacheSnapshot Snapshot()
    {
        var now = Now();
        lock (_gate)
        {
            var lastMinute = new LookupCounts();
            var latency = new long[LatencyBoundsMs.Length + 1];
            long requests = 0, loads = 0, failOpen = 0;
            double requestMs = 0, loadMs = 0;
            var seconds = new List<SecondStats>(WindowSeconds);
            // Oldest first, ending with the current second (still filling).
            for (var t = now - WindowSeconds + 1; t <= now; t++)
            {
                var slot = _ring[(int)(t % WindowSeconds)];
                if (slot.Stamp != t)
                {
                    seconds.Add(new SecondStats(t, new LookupCounts().ToStats(), 0, null, null, null, 0, null));
                    continue;
                }
                lastMinute.AddAll(slot.Lookups);
                for (var b = 0; b < latency.Length; b++) latency[b] += slot.Latency[b];
                requests += slot.Requests;
                requestMs += slot.RequestMs;
                loads += slot.Loads;
                loadMs += slot.LoadMs;
                failOpen += slot.FailOpen;
                seconds.Add(new SecondStats(
                    t, slot.Lookups.ToStats(), slot.Requests,
                    slot.Requests == 0 ? null : Math.Round(slot.RequestMs / slot.Requests, 3),
                    Percentile(slot.Latency, 0.50), Percentile(slot.Latency, 0.99),
                    slot.Loads, slot.Loads == 0 ? null : Math.Round(slot.LoadMs / slot.Loads, 3)));
            }

            return new AppCacheSnapshot(
                StartedAt,
                _total.ToStats(),
                lastMinute.ToStats(),
                _byEntryType.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value.ToStats()),
                new RequestLatencyStats(requests,
                    requests == 0 ? null : Math.Round(requestMs / requests, 3),
                    Percentile(latency, 0.50), Percentile(latency, 0.99)),
                new CacheEventStats(
                    _events[(int)Kind.Load], _events[(int)Kind.Load] == 0 ? null : Math.Round(_loadMsTotal / _events[(int)Kind.Load], 3),
                    loads, loads == 0 ? null : Math.Round(loadMs / loads, 3),
                    _events[(int)Kind.StampedeWait], _events[(int)Kind.Coalesced],
                    _events[(int)Kind.InvalidationPublished], _events[(int)Kind.InvalidationReceived],
                    _events[(int)Kind.FailOpen], failOpen),
                seconds);
        }
    }

    /// <summary>Estimates a percentile from bucket counts, interpolating linearly inside the bucket it falls in.</summary>
    internal static double? Percentile(long[] buckets, double quantile)
    {
        long total = 0;
        foreach (var count in buckets) total += count;
        if (total == 0) return null;
        var rank = quantile * total;
        long seen = 0;
        for (var b = 0; b < buckets.Length; b++)
        {
            if (buckets[b] == 0) continue;
            if (seen + buckets[b] >= rank)
            {
                var lower = b == 0 ? 0 : LatencyBoundsMs[b - 1];
                var upper = b < LatencyBoundsMs.Length ? LatencyBoundsMs[b] : LatencyBoundsMs[^1] * 2;
                return Math.Round(lower + ((upper - lower) * (rank - seen) / buckets[b]), 3);
            }
            seen += buckets[b];
        }
        return LatencyBoundsMs[^1];
    }

    public void Dispose() => _listener.Dispose();

    private sealed class Second
    {
        public long Stamp = -1;
        public readonly LookupCounts Lookups = new();
        public readonly long[] Latency = new long[LatencyBoundsMs.Length + 1];
        public long Requests;
        public double RequestMs;
        public long Loads;
        public double LoadMs;
        public long FailOpen;

        public void Reset(long stamp)
        {
            Stamp = stamp;
            Lookups.Clear();
            Array.Clear(Latency);
            Requests = Loads = FailOpen = 0;
            RequestMs = LoadMs = 0;
        }
    }

    /// <summary>Lookup counts by where they were answered (the level and result tags of shop.cache.lookups).</summary>
    private sealed class LookupCounts
    {
        public long L1Hits;
        public long L1NegativeHits;
        public long L2Hits;
        public long L2NegativeHits;
        public long Misses;

        public void Add(string? level, string? result, long count)
        {
            var negative = result == "negative_hit";
            switch (level)
            {
                case "l1" when negative: L1NegativeHits += count; break;
                case "l1": L1Hits += count; break;
                case "l2" when negative: L2NegativeHits += count; break;
                case "l2": L2Hits += count; break;
                default: Misses += count; break;
            }
        }

        public void AddAll(LookupCounts other)
        {
            L1Hits += other.L1Hits;
            L1NegativeHits += other.L1NegativeHits;
            L2Hits += other.L2Hits;
            L2NegativeHits += other.L2NegativeHits;
            Misses += other.Misses;
        }

        public void Clear() => L1Hits = L1NegativeHits = L2Hits = L2NegativeHits = Misses = 0;

        public LookupStats ToStats()
        {
            var l1 = L1Hits + L1NegativeHits;
            var l2 = L2Hits + L2NegativeHits;
            var lookups = l1 + l2 + Misses;
            return new LookupStats(lookups, l1, l2, L1NegativeHits + L2NegativeHits, Misses,
                LookupStats.Ratio(l1 + l2, lookups), LookupStats.Ratio(l1, lookups), LookupStats.Ratio(l2, l2 + Misses));
        }
    }
}
