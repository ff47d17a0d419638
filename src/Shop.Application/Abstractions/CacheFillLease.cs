namespace Shop.Application.Abstractions;

/// <summary>
/// Opaque to the Application layer: what a batch read took so that its fill cannot store data older than a write that
/// came in between (the fill leases of the missing keys, the L1 epoch). <see cref="None"/> stores in L1 only.
/// </summary>
public abstract class CacheFillLease
{
    /// <summary>No lease (caching off or Redis unreachable).</summary>
    public static readonly CacheFillLease None = new NoLease();

    private sealed class NoLease : CacheFillLease;
}
