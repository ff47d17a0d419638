namespace Shop.Application.Abstractions;

/// <summary>
/// Per-request record of cache outcomes (scoped). With several reads, the worst outcome wins, and the oldest stale
/// answer gives the response's <see cref="Age"/>.
/// </summary>
public sealed class CacheTrace
{
    public CacheOutcome? Outcome { get; private set; }

    /// <summary>Age of the oldest stale value in the response (null when nothing stale was served).</summary>
    public TimeSpan? Age { get; private set; }

    public void Record(CacheOutcome outcome, TimeSpan? age = null)
    {
        if (Outcome is null || outcome > Outcome) Outcome = outcome;
        if (age is { } a && (Age is null || a > Age)) Age = a;
    }
}
