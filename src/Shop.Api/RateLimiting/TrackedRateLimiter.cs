using System.Threading.RateLimiting;

namespace Shop.Api.RateLimiting;

/// <summary>
/// A fixed-window limiter that says when it is disposed, which is when the partitioned limiter evicts an idle
/// partition: <see cref="ClientPartitions"/> counts live partitions with it. Everything else is forwarded; it stays a
/// <see cref="ReplenishingRateLimiter"/> so the partitioned limiter keeps replenishing it.
/// </summary>
internal sealed class TrackedRateLimiter(ReplenishingRateLimiter inner, Action onDisposed) : ReplenishingRateLimiter
{
    private int _disposed;

    public override TimeSpan? IdleDuration => inner.IdleDuration;

    public override bool IsAutoReplenishing => inner.IsAutoReplenishing;

    public override TimeSpan ReplenishmentPeriod => inner.ReplenishmentPeriod;

    public override bool TryReplenish() => inner.TryReplenish();

    public override RateLimiterStatistics? GetStatistics() => inner.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => inner.AttemptAcquire(permitCount);

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        inner.AcquireAsync(permitCount, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            inner.Dispose();
            onDisposed();
        }
        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await inner.DisposeAsync();
            onDisposed();
        }
        await base.DisposeAsyncCore();
    }
}
