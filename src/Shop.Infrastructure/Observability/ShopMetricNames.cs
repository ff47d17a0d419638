namespace Shop.Infrastructure.Observability;

/// <summary>
/// The cache instruments of the <see cref="ShopMetrics.MeterName"/> meter, each name spelt once: the meter, the
/// gauges, the /api/cache/stats aggregator, the histogram buckets and the tests use these constants. Prometheus
/// exports a name with '.' as '_' and a suffix (<c>_total</c> for counters, <c>_milliseconds_bucket</c> for these
/// histograms); monitoring/ (Grafana, Prometheus) spells those exported names, so renaming one here breaks them.
/// </summary>
public static class ShopMetricNames
{
    public const string Lookups = "shop.cache.lookups";
    public const string LoadDuration = "shop.cache.load.duration";
    public const string StampedeWaits = "shop.cache.stampede.waits";
    public const string Coalesced = "shop.cache.coalesced";
    public const string InvalidationsPublished = "shop.cache.invalidations.published";
    public const string InvalidationsReceived = "shop.cache.invalidations.received";
    public const string InvalidationLag = "shop.cache.invalidation.lag";
    public const string InvalidationsPending = "shop.cache.invalidations.pending";
    public const string FailOpen = "shop.cache.fail_open";
    public const string BreakerState = "shop.cache.breaker.state";
    public const string BreakerTransitions = "shop.cache.breaker.transitions";
    public const string L1Entries = "shop.cache.l1.entries";
    public const string L1Degraded = "shop.cache.l1.degraded";
    public const string DecodeFailures = "shop.cache.decode_failures";
    public const string StaleAnswers = "shop.cache.stale_answers";
    public const string LoadFailures = "shop.cache.load_failures";
    public const string RefreshAhead = "shop.cache.refresh_ahead";
}
