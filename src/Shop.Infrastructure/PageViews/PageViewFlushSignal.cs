namespace Shop.Infrastructure.PageViews;

/// <summary>
/// The in-process doorbell from the request path to this instance's <see cref="PageViewFlusher"/>: a product's
/// pending delta reached the threshold. Requests coalesce: however many arrive during a flush, one more flush follows.
/// </summary>
public sealed class PageViewFlushSignal : IDisposable
{
    private readonly SemaphoreSlim _doorbell = new(0);
    private int _requested;

    /// <summary>Asks for a flush; false if one was already asked for and has not started yet.</summary>
    public bool Request()
    {
        if (Interlocked.Exchange(ref _requested, 1) == 1) return false;
        _doorbell.Release();
        return true;
    }

    /// <summary>Waits for a request or the timeout: true if a request woke it.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var requested = await _doorbell.WaitAsync(timeout, cancellationToken);
        Interlocked.Exchange(ref _requested, 0);
        return requested;
    }

    public void Dispose() => _doorbell.Dispose();
}
