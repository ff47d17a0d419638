namespace Shop.Application.Caching;

/// <summary>Keys a composite query will read through other cached queries; they are fetched together first.</summary>
public interface ICachePrefetchingQuery
{
    IReadOnlyList<CachePrefetchKey> PrefetchKeys { get; }
}
