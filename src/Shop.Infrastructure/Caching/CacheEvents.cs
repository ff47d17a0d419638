using Shop.Application.Abstractions;
using Shop.Infrastructure.Observability;

namespace Shop.Infrastructure.Caching;

/// <summary>The event view's spelling of a lookup outcome (as <see cref="ShopMetrics.Lookup"/> is the metric's).</summary>
internal static class CacheEvents
{
    public static CacheEventKind LookupKind(CacheOutcome outcome, bool absent) => outcome switch
    {
        CacheOutcome.L1 => absent ? CacheEventKind.L1NegativeHit : CacheEventKind.L1Hit,
        CacheOutcome.L2 => absent ? CacheEventKind.L2NegativeHit : CacheEventKind.L2Hit,
        CacheOutcome.Stale => CacheEventKind.Stale,
        _ => CacheEventKind.Miss,
    };
}
