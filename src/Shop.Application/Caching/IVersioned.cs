namespace Shop.Application.Caching;

/// <summary>An entity version (the row's concurrency token), stored with its cache entry.</summary>
public interface IVersioned
{
    long Version { get; }
}
