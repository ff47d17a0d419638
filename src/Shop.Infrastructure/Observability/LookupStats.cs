namespace Shop.Infrastructure.Observability;

/// <summary>
/// Lookups by the level that answered them. <c>L1Hits</c> and <c>L2Hits</c> include negative hits ("this id does not
/// exist", answered from the cache); <c>NegativeHits</c> counts those alone; <c>Misses</c> went to PostgreSQL.
/// Rates: <c>HitRate</c> = (L1 + L2) / lookups; <c>L1HitRate</c> = L1 / lookups; <c>L2HitRate</c> = L2 / the lookups
/// that reached Redis (L2 + misses). Null when there is nothing to divide.
/// </summary>
public sealed record LookupStats(long Lookups, long L1Hits, long L2Hits, long NegativeHits, long Misses, double? HitRate, double? L1HitRate, double? L2HitRate)
{
    internal static double? Ratio(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
