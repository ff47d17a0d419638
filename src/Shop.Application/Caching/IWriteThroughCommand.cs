namespace Shop.Application.Caching;

/// <summary>
/// Write-through: after the handler committed, <see cref="Behaviours.WriteThroughBehaviour{TMessage, TResponse}"/> stores
/// the response (the new value) under <see cref="CacheKey"/> with a compare-and-set on its version, updates this
/// instance's L1, and tells the other instances to drop theirs.
/// </summary>
public interface IWriteThroughCommand
{
    CacheKey CacheKey { get; }
}
