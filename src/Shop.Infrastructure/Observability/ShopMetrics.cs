using System.Diagnostics.Metrics;
using Shop.Application.Abstractions;
using Shop.Application.Caching;

namespace Shop.Infrastructure.Observability;

/// <summary>
/// Shop's one Meter ("Shop"). Every number the caching patterns produce is recorded here and exported at
/// /metrics; names follow OpenTelemetry conventions (Prometheus turns dots into underscores).
/// </summary>
public sealed class ShopMetrics : IDisposable
{
    public const string MeterName = "Shop";

    private readonly Meter _meter;
    private readonly Counter<long> _lookups;
    private readonly Histogram<double> _loadDuration;
    private readonly Counter<long> _stampedeWaits;
    private readonly Counter<long> _coalesced;
    private readonly Counter<long> _invalidationsPublished;
    private readonly Counter<long> _invalidationsReceived;
    private readonly Histogram<double> _invalidationLag;
    private readonly Counter<long> _failOpen;
    private readonly Counter<long> _breakerTransitions;
    private readonly Counter<long> _decodeFailures;
    private readonly Counter<long> _staleAnswers;
    private readonly Counter<long> _loadFailures;
    private readonly Counter<long> _refreshAhead;

    public ShopMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _lookups = _meter.CreateCounter<long>(ShopMetricNames.Lookups, "{lookup}",
            "Cached reads by where they were answered: level = l1 | l2 | db, result = hit | negative_hit | miss; entry_type = product, pricing, …");
        _loadDuration = _meter.CreateHistogram<double>(ShopMetricNames.LoadDuration, "ms", "Time to load a missed entry from PostgreSQL");
        _stampedeWaits = _meter.CreateCounter<long>(ShopMetricNames.StampedeWaits, "{wait}", "Misses that waited for another instance's load (Redis lock)");
        _coalesced = _meter.CreateCounter<long>(ShopMetricNames.Coalesced, "{caller}", "Misses that joined a load already running in this instance (single-flight)");
        _invalidationsPublished = _meter.CreateCounter<long>(ShopMetricNames.InvalidationsPublished, "{message}", "Invalidation messages published");
        _invalidationsReceived = _meter.CreateCounter<long>(ShopMetricNames.InvalidationsReceived, "{message}", "Invalidation messages received from other instances");
        _invalidationLag = _meter.CreateHistogram<double>(ShopMetricNames.InvalidationLag, "ms", "Publish-to-receive lag of invalidation messages");
        _failOpen = _meter.CreateCounter<long>(ShopMetricNames.FailOpen, "{call}", "Redis calls skipped or failed and answered without Redis");
        _breakerTransitions = _meter.CreateCounter<long>(ShopMetricNames.BreakerTransitions, "{transition}", "Redis circuit breaker state changes, by the state entered (to = closed | open | half_open)");
        _decodeFailures = _meter.CreateCounter<long>(ShopMetricNames.DecodeFailures, "{entry}", "Redis entries that did not decode (other serializer, old layout, corrupt): deleted and read as a miss");
        _staleAnswers = _meter.CreateCounter<long>(ShopMetricNames.StaleAnswers, "{answer}", "Reads answered with a stale copy because PostgreSQL failed or was slow (reason = error | timeout | bulkhead)");
        _loadFailures = _meter.CreateCounter<long>(ShopMetricNames.LoadFailures, "{load}", "Loads from PostgreSQL that failed or timed out (reason = error | timeout | bulkhead)");
        _refreshAhead = _meter.CreateCounter<long>(ShopMetricNames.RefreshAhead, "{refresh}", "Background reloads of entries read near the end of their TTL");
    }

    public Meter Meter => _meter;

    /// <summary>
    /// The live event view's ring (the /cache page). Each method below that has a key records its event there too, so
    /// a metric and its event can never disagree or be forgotten one without the other.
    /// </summary>
    public CacheEventLog Events { get; } = new();

    /// <summary>One cached read, by where it was answered (level), what it found (result) and the key's entry type.</summary>
    public void Lookup(CacheKey key, bool absent, CacheOutcome outcome, string? detail = null)
    {
        _lookups.Add(1,
            new("level", outcome switch { CacheOutcome.L1 => "l1", CacheOutcome.L2 => "l2", CacheOutcome.Stale => "stale", _ => "db" }),
            new("result", outcome == CacheOutcome.Miss ? "miss" : absent ? "negative_hit" : "hit"),
            new("entry_type", key.EntryType));
        Events.Record(outcome switch
        {
            CacheOutcome.L1 => absent ? CacheEventKind.L1NegativeHit : CacheEventKind.L1Hit,
            CacheOutcome.L2 => absent ? CacheEventKind.L2NegativeHit : CacheEventKind.L2Hit,
            CacheOutcome.Stale => CacheEventKind.Stale,
            _ => CacheEventKind.Miss,
        }, key.Value, detail);
    }

    public void Loaded(CacheKey key, bool absent, double milliseconds)
    {
        _loadDuration.Record(milliseconds, new KeyValuePair<string, object?>("entry_type", key.EntryType));
        Events.Record(CacheEventKind.Load, key.Value, absent ? "absent" : null, milliseconds);
    }

    public void StampedeWait(CacheKey key)
    {
        _stampedeWaits.Add(1);
        Events.Record(CacheEventKind.StampedeWait, key.Value);
    }

    public void Coalesced(string key)
    {
        _coalesced.Add(1);
        Events.Record(CacheEventKind.Coalesced, key);
    }

    public void InvalidationPublished(IReadOnlyList<string> keys)
    {
        _invalidationsPublished.Add(1);
        Events.RecordEach(CacheEventKind.InvalidationSent, keys);
    }

    public void InvalidationReceived(TimeSpan lag, IReadOnlyList<string> keys)
    {
        _invalidationsReceived.Add(1);
        _invalidationLag.Record(lag.TotalMilliseconds);
        Events.RecordEach(CacheEventKind.InvalidationReceived, keys);
    }

    /// <summary>A write-through's outcome (stored | refused_older | redis_unreachable): an event only, no metric.</summary>
    public void WroteThrough(string key, string outcome) => Events.Record(CacheEventKind.WriteThrough, key, outcome);

    public void FailOpen(string reason)
    {
        _failOpen.Add(1, new KeyValuePair<string, object?>("reason", reason));
        Events.Record(CacheEventKind.FailOpen, "(redis)", reason);
    }

    public void DecodeFailure(string entryType) => _decodeFailures.Add(1, new KeyValuePair<string, object?>("entry_type", entryType));

    /// <summary>A read answered with a stale copy because the load failed (reason = error | timeout | bulkhead).</summary>
    public void StaleAnswer(CacheKey key, string reason)
    {
        _staleAnswers.Add(1, new KeyValuePair<string, object?>("reason", reason));
        Lookup(key, absent: false, CacheOutcome.Stale, reason);
    }

    public void LoadFailure(CacheKey key, string reason)
    {
        _loadFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));
        Events.Record(CacheEventKind.LoadFailed, key.Value, reason);
    }

    public void RefreshedAhead() => _refreshAhead.Add(1);

    public void BreakerTransition(string to)
    {
        _breakerTransitions.Add(1, new KeyValuePair<string, object?>("to", to));
        Events.Record(CacheEventKind.BreakerChange, "(redis)", to);
    }

    /// <summary>For gauges owned elsewhere (breaker state, L1 size, write-behind backlog).</summary>
    public void Gauge<T>(string name, Func<T> observe, string? unit = null, string? description = null)
        where T : struct => _meter.CreateObservableGauge(name, observe, unit, description);

    /// <summary>For monotonic totals owned elsewhere (write-behind flushes, failures), read when the metrics are collected.</summary>
    public void ObservableCounter<T>(string name, Func<IEnumerable<Measurement<T>>> observe, string? unit = null, string? description = null)
        where T : struct => _meter.CreateObservableCounter(name, observe, unit, description);

    public void Dispose() => _meter.Dispose();
}
