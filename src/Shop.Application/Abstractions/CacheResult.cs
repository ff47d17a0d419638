namespace Shop.Application.Abstractions;

/// <summary>
/// The answer of a cached read: the value, or null when the entity is known to be absent. <see cref="Age"/> is how long
/// ago the value was loaded from PostgreSQL, set for <see cref="CacheOutcome.Stale"/> answers.
/// </summary>
public readonly record struct CacheResult<T>(T? Value, CacheOutcome Outcome, TimeSpan? Age = null)
    where T : class;
