namespace Shop.Infrastructure.Observability;

/// <summary>Lookup counts by where they were answered (the level and result tags of shop.cache.lookups).</summary>
internal sealed class LookupCounts
{
    public long L1Hits;
    public long L1NegativeHits;
    public long L2Hits;
    public long L2NegativeHits;
    public long Misses;

    public void Add(string? level, string? result, long count)
    {
        var negative = result == "negative_hit";
        switch (level)
        {
            case "l1" when negative: L1NegativeHits += count; break;
            case "l1": L1Hits += count; break;
            case "l2" when negative: L2NegativeHits += count; break;
            case "l2": L2Hits += count; break;
            default: Misses += count; break;
        }
    }

    public void AddAll(LookupCounts other)
    {
        L1Hits += other.L1Hits;
        L1NegativeHits += other.L1NegativeHits;
        L2Hits += other.L2Hits;
        L2NegativeHits += other.L2NegativeHits;
        Misses += other.Misses;
    }

    public void Clear() => L1Hits = L1NegativeHits = L2Hits = L2NegativeHits = Misses = 0;
}
