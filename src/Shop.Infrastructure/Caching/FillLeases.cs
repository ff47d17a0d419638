using Shop.Application.Abstractions;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// What <see cref="BatchCacheRead.GetManyAsync{T}"/> hands its caller for the fill: the L1 epoch read before the Redis
/// read, and the lease token of each missing physical key whose lease it took (the others are someone else's to fill).
/// </summary>
internal sealed class FillLeases(long epoch, IReadOnlyDictionary<string, string> tokens) : CacheFillLease
{
    public long Epoch { get; } = epoch;

    public IReadOnlyDictionary<string, string> Tokens { get; } = tokens;
}
