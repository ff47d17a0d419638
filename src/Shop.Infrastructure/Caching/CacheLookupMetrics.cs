using Shop.Application.Abstractions;
using Shop.Application.Caching;
using Shop.Infrastructure.Observability;

namespace Shop.Infrastructure.Caching;

/// <summary>One spelling of the per-lookup metric (level, result, entry type) for single and batch reads.</summary>
internal static class CacheLookupMetrics
{
    public static void Lookup(this ShopMetrics metrics, CacheKey key, bool absent, CacheOutcome outcome) =>
        metrics.Lookup(
            outcome switch { CacheOutcome.L1 => "l1", CacheOutcome.L2 => "l2", CacheOutcome.Stale => "stale", _ => "db" },
            outcome == CacheOutcome.Miss ? "miss" : absent ? "negative_hit" : "hit",
            key.EntryType);
}
