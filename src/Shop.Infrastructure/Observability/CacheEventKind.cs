namespace Shop.Infrastructure.Observability;

/// <summary>What happened to a key (see <see cref="CacheEventLog"/>).</summary>
public enum CacheEventKind : byte
{
    L1Hit,
    L1NegativeHit,
    L2Hit,
    L2NegativeHit,
    Miss,
    Load,
    LoadFailed,
    Coalesced,
    StampedeWait,
    InvalidationSent,
    InvalidationReceived,
    WriteThrough,
    Stale,
    BreakerChange,
    FailOpen,
}
