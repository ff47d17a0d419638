namespace Shop.Application.Abstractions;

/// <summary>Per-request record of cache outcomes (scoped). With several reads, the slowest outcome wins.</summary>
public sealed class CacheTrace
{
    public CacheOutcome? Outcome { get; private set; }

    public void Record(CacheOutcome outcome)
    {
        if (Outcome is null || outcome > Outcome) Outcome = outcome;
    }
}
