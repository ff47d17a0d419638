using System.Globalization;
using Shop.Application.Abstractions;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Version counters that are part of cache keys (the <see cref="ICacheVersions"/> port), e.g. a category's listing
/// version in <c>{category:3}:v17:products:p1:s20</c>. Read from L1 (no I/O), else one Redis GET kept in L1 under the
/// epoch read before it; <see cref="InvalidationPublisher"/> moves a counter on in Redis and every instance drops it
/// from L1 (the message names it), so the next read fetches the new one.
/// Guarantees: reads never write to Redis (random category ids create no counter); a counter never written reads as 0.
/// If Redis cannot be read, a fresh negative version that nobody else uses: the read is a miss, served from PostgreSQL,
/// and nothing cached under it is read again. Does not: make an instance whose subscription is down see a new
/// version (its L1 is bypassed then, see <see cref="InvalidationSubscriber"/>).
/// </summary>
public sealed class CacheVersions(L1Cache l1, FailOpenRedis redis, RedisKeyspace keyspace) : ICacheVersions
{
    private long _unreadable;

    public async ValueTask<long> CurrentAsync(string versionKey, CancellationToken cancellationToken)
    {
        if (l1.TryGet(versionKey, out var cached) && cached is long known) return known;

        var epoch = l1.Epoch;
        var (ok, raw) = await redis.TryAsync(db => db.StringGetAsync(keyspace.Root + versionKey));
        if (!ok || (!raw.IsNull && !long.TryParse((string?)raw, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            return -Interlocked.Increment(ref _unreadable);

        var version = raw.IsNull ? 0 : long.Parse((string)raw!, NumberStyles.None, CultureInfo.InvariantCulture);
        l1.Set(versionKey, version, absent: false, epoch);
        return version;
    }
}
