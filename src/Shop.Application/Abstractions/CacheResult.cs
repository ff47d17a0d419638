namespace Shop.Application.Abstractions;

/// <summary>The answer of a cached read: the value, or null when the entity is known to be absent.</summary>
public readonly record struct CacheResult<T>(T? Value, CacheOutcome Outcome)
    where T : class;
