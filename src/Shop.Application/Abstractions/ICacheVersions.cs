namespace Shop.Application.Abstractions;

/// <summary>
/// Current values of version counters that are part of cache keys (port). Infrastructure keeps them in L1 and Redis;
/// a write moves one on through <see cref="ICacheInvalidator"/>. A counter never written reads as 0.
/// </summary>
public interface ICacheVersions
{
    ValueTask<long> CurrentAsync(string versionKey, CancellationToken cancellationToken);
}
