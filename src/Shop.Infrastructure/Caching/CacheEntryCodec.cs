using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Application.Caching;
using Shop.Infrastructure.Caching.Serialization;
using Shop.Infrastructure.Observability;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Shared by every pattern: turns a value into what Redis stores (<see cref="CacheEnvelope"/> stamped with its load time
/// and logical expiry) and back. The logical (soft) TTL is chosen by the key's entry type and jittered; the Redis PX is
/// the hard TTL, soft + <c>Cache:FailSafeMaxStaleness</c>, so a stale copy outlives the TTL for fail-safe reads. "Absent"
/// gets the negative TTL and no fail-safe time (a stale "absent" is not worth its memory).
/// An entry that does not decode (written by another serializer or release, or corrupt) is a miss: it is deleted from
/// Redis if it still holds the same bytes, counted in <c>shop.cache.decode_failures</c> and logged at most once a minute.
/// </summary>
public sealed partial class CacheEntryCodec(
    ICacheSerializer serializer, L1Cache l1, RedisKeyspace keyspace, FailOpenRedis redis, ShopMetrics metrics, TimeProvider clock,
    ILogger<CacheEntryCodec> logger, IOptions<CacheOptions> options)
{
    private static readonly string DeleteIfEqualScript = EmbeddedLua.Load("Caching.delete-if-equal.lua");
    private static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(1);
    private readonly CacheOptions _options = options.Value;
    private long _lastLogTicks = long.MinValue;
    private long _unlogged;

    /// <summary>
    /// A decoded Redis entry: its value, when that value was loaded, and whether it is stale: past its logical TTL, or
    /// loaded before an outage L1 is recovering from (<see cref="L1Cache.TrustsRedisEntry"/>). A stale entry is never
    /// served as fresh, only as a fail-safe copy.
    /// </summary>
    public readonly record struct Entry<T>(T? Value, bool Stale, DateTimeOffset LoadedAt, DateTimeOffset SoftExpiry)
        where T : class;

    public (byte[] Bytes, TimeSpan Ttl) Encode<T>(CacheKey key, T? value, long? version = null)
        where T : class
    {
        var now = clock.GetUtcNow();
        var soft = TtlJitter.Apply(value is null ? _options.NegativeTtl : _options.TtlFor(key.EntryType), _options.Jitter);
        var hard = value is null ? soft : soft + _options.FailSafeMaxStaleness;
        var bytes = CacheEnvelope.Encode(serializer, value, version ?? (value as IVersioned)?.Version ?? 0,
            now.ToUnixTimeMilliseconds(), (now + soft).ToUnixTimeMilliseconds());
        return (bytes, hard);
    }

    /// <summary>Decodes a Redis value; false if it does not decode (then it is discarded: see the class comment).</summary>
    public bool TryRead<T>(CacheKey key, string physical, RedisValue raw, out Entry<T> entry)
        where T : class
    {
        if (!CacheEnvelope.TryDecode<T>(serializer, (ReadOnlyMemory<byte>)raw, out var value, out var stamp))
        {
            entry = default;
            Discard(key, physical, raw);
            return false;
        }
        var softExpiry = DateTimeOffset.FromUnixTimeMilliseconds(stamp.SoftExpiryMs);
        var loadedAt = DateTimeOffset.FromUnixTimeMilliseconds(stamp.LoadedAtMs);
        entry = new Entry<T>(value, clock.GetUtcNow() >= softExpiry || !l1.TrustsRedisEntry(loadedAt), loadedAt, softExpiry);
        return true;
    }

    /// <summary>
    /// Decodes a Redis value and keeps it in L1 (unless an invalidation came after <paramref name="epoch"/>). False when it
    /// is not a fresh entry (undecodable, past its logical TTL, or not trusted just after an outage): the caller treats it as a miss.
    /// </summary>
    public bool TryRemember<T>(CacheKey key, RedisValue raw, long epoch, out T? value)
        where T : class
    {
        value = null;
        if (!TryRead<T>(key, keyspace.Key(key), raw, out var entry) || entry.Stale) return false;
        value = entry.Value;
        l1.Set(key.Value, value, value is null, epoch, encodedBytes: (int)raw.Length()); // charged to L1's byte budget
        return true;
    }

    private void Discard(CacheKey key, string physical, RedisValue raw)
    {
        metrics.DecodeFailure(key.EntryType);
        redis.FireAndForget(db => db.ScriptEvaluateAsync(DeleteIfEqualScript, [physical], [raw]));
        var now = clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastLogTicks);
        if (last != long.MinValue && clock.GetElapsedTime(last, now) < LogEvery)
        {
            Interlocked.Increment(ref _unlogged);
            return;
        }
        if (Interlocked.CompareExchange(ref _lastLogTicks, now, last) == last)
            LogUndecodable(physical, serializer.Name, Interlocked.Exchange(ref _unlogged, 0));
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Cache entry {Key} does not decode with the {Serializer} serializer (another serializer or release wrote it, or it is corrupt): deleted and read as a miss; {Suppressed} more since the last such message")]
    private partial void LogUndecodable(string key, string serializer, long suppressed);
}
