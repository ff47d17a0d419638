using Microsoft.Extensions.Options;
using Shop.Application.Caching;
using Shop.Infrastructure.Caching.Serialization;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Shared by every pattern: turns a value into what Redis stores (<see cref="CacheEnvelope"/> + a jittered TTL chosen by
/// the key's entry type, or the negative TTL for "absent") and turns what Redis returned back into a value, keeping it in
/// L1 under the epoch read before the Redis call (so a value read before an invalidation is not kept after it).
/// </summary>
public sealed class CacheEntryCodec(ICacheSerializer serializer, L1Cache l1, RedisKeyspace keyspace, IOptions<CacheOptions> options)
{
    private readonly CacheOptions _options = options.Value;

    public (byte[] Bytes, TimeSpan Ttl) Encode<T>(CacheKey key, T? value, long? version = null)
        where T : class =>
        (CacheEnvelope.Encode(serializer, value, version ?? (value as IVersioned)?.Version ?? 0),
         TtlJitter.Apply(value is null ? _options.NegativeTtl : _options.TtlFor(key.EntryType), _options.Jitter));

    /// <summary>Decodes a Redis value and keeps it in L1 (unless an invalidation came after <paramref name="epoch"/>).</summary>
    public T? Remember<T>(CacheKey key, RedisValue raw, long epoch)
        where T : class
    {
        var (value, _) = CacheEnvelope.Decode<T>(serializer, (ReadOnlyMemory<byte>)raw);
        l1.Set(key.Value, value, value is null, epoch, key.Group, encodedBytes: (int)raw.Length()); // charged to L1's byte budget
        return value;
    }

    /// <summary>The Redis set that lists the key for group invalidation, if it belongs to a group.</summary>
    public string? GroupOf(CacheKey key) => key.Group is null ? null : keyspace.Group(key.Group);
}
