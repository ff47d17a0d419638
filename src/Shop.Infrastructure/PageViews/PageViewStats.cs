using System.Diagnostics.Metrics;
using Shop.Infrastructure.Observability;

namespace Shop.Infrastructure.PageViews;

/// <summary>
/// The write-behind numbers of this instance, exported through <see cref="ShopMetrics"/> as
/// <c>shop.pageviews.*</c>. The backlog (pending products and views, batches in flight) is sampled from Redis by the
/// flusher at the start of every flush, so it covers the whole deployment; the other numbers are this instance's.
/// </summary>
public sealed class PageViewStats
{
    private readonly long[] _flushes = new long[Enum.GetValues<PageViewFlushTrigger>().Length];
    private long _recorded;
    private long _thresholdSignals;
    private long _failures;
    private long _flushedViews;
    private long _transactions;
    private long _recoveredBatches;
    private long _refusedBatches;
    private long _refusedViews;
    private long _pendingProducts;
    private long _pendingViews;
    private long _inFlightBatches;
    private PageViewFlushReport? _last;

    public PageViewStats(ShopMetrics metrics)
    {
        metrics.Gauge("shop.pageviews.pending.products", () => PendingProducts, "{product}", "Products with views not yet moved to a flush batch (sampled at each flush)");
        metrics.Gauge("shop.pageviews.pending.views", () => PendingViews, "{view}", "Views not yet moved to a flush batch (sampled at each flush)");
        metrics.Gauge("shop.pageviews.inflight.batches", () => InFlightBatches, "{batch}", "Batches moved out of Redis's pending counters and not yet finished (sampled)");
        metrics.Gauge("shop.pageviews.flush.last.duration", () => LastFlush?.Duration.TotalMilliseconds ?? 0, "ms", "Duration of this instance's last flush");
        metrics.Gauge("shop.pageviews.flush.last.views", () => LastFlush?.Views ?? 0, "{view}", "Views moved to PostgreSQL by this instance's last flush");
        metrics.Gauge("shop.pageviews.flush.last.products", () => LastFlush?.Products ?? 0, "{product}", "Products updated by this instance's last flush");
        metrics.ObservableCounter("shop.pageviews.recorded", () => One(Recorded), "{view}", "Views accepted by this instance");
        metrics.ObservableCounter("shop.pageviews.flushes", ObserveFlushes, "{flush}", "Flushes completed by this instance, by trigger = startup | timer | threshold | shutdown | manual");
        metrics.ObservableCounter("shop.pageviews.flush.failures", () => One(FlushFailures), "{flush}", "Flushes that failed (their batches stay in flight and are applied by a later flush)");
        metrics.ObservableCounter("shop.pageviews.flushed.views", () => One(FlushedViews), "{view}", "Views this instance moved to PostgreSQL");
        metrics.ObservableCounter("shop.pageviews.batches.refused", () => One(RefusedBatches), "{batch}", "In-flight batches refused (parked in Redis) as older than PageViews:MaxBatchAge, so never counted twice");
        metrics.ObservableCounter("shop.pageviews.refused.views", () => One(RefusedViews), "{view}", "Views in the refused batches");
        metrics.ObservableCounter("shop.pageviews.db.transactions", () => One(DatabaseTransactions), "{transaction}", "Database transactions (one statement each) started by this instance's flushes");
    }

    public long Recorded => Interlocked.Read(ref _recorded);
    public long ThresholdSignals => Interlocked.Read(ref _thresholdSignals);
    public long FlushFailures => Interlocked.Read(ref _failures);
    public long FlushedViews => Interlocked.Read(ref _flushedViews);
    public long DatabaseTransactions => Interlocked.Read(ref _transactions);
    public long RecoveredBatches => Interlocked.Read(ref _recoveredBatches);
    public long RefusedBatches => Interlocked.Read(ref _refusedBatches);
    public long RefusedViews => Interlocked.Read(ref _refusedViews);
    public long PendingProducts => Interlocked.Read(ref _pendingProducts);
    public long PendingViews => Interlocked.Read(ref _pendingViews);
    public long InFlightBatches => Interlocked.Read(ref _inFlightBatches);
    public PageViewFlushReport? LastFlush => Volatile.Read(ref _last);

    public long Flushes(PageViewFlushTrigger trigger) => Interlocked.Read(ref _flushes[(int)trigger]);

    public long TotalFlushes => Enum.GetValues<PageViewFlushTrigger>().Sum(Flushes);

    internal void ViewRecorded() => Interlocked.Increment(ref _recorded);

    internal void ThresholdReached() => Interlocked.Increment(ref _thresholdSignals);

    internal void Backlog(long products, long views, long inFlightBatches)
    {
        Interlocked.Exchange(ref _pendingProducts, products);
        Interlocked.Exchange(ref _pendingViews, views);
        Interlocked.Exchange(ref _inFlightBatches, inFlightBatches);
    }

    internal void DatabaseTransaction() => Interlocked.Increment(ref _transactions);

    internal void Flushed(PageViewFlushReport report)
    {
        Interlocked.Add(ref _flushedViews, report.Views);
        Interlocked.Add(ref _recoveredBatches, report.RecoveredBatches);
        Volatile.Write(ref _last, report);
        Interlocked.Increment(ref _flushes[(int)report.Trigger]); // last: a waiter that sees the count sees the rest
    }

    internal void BatchRefused(long views)
    {
        Interlocked.Add(ref _refusedViews, views);
        Interlocked.Increment(ref _refusedBatches);
    }

    internal void FlushFailed() => Interlocked.Increment(ref _failures);

    private static IEnumerable<Measurement<long>> One(long value) => [new Measurement<long>(value)];

    private IEnumerable<Measurement<long>> ObserveFlushes() =>
        Enum.GetValues<PageViewFlushTrigger>().Select(t => new Measurement<long>(Flushes(t),
            new KeyValuePair<string, object?>("trigger", t.ToString().ToLowerInvariant())));
}
