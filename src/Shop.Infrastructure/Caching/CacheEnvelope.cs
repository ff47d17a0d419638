using System.Buffers;
using System.Buffers.Text;
using Shop.Infrastructure.Caching.Serialization;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// What a Redis value holds: a 47-byte ASCII header, then the payload.
/// <list type="bullet">
/// <item>byte 1: '1' (found) or '0' (absent);</item>
/// <item>bytes 2-20: the entity version as 19 zero-padded digits (0 when unknown). These offsets are fixed: the
/// write-through Lua script reads the version with <c>tonumber(string.sub(value, 2, 20))</c> to refuse an older write;</item>
/// <item>byte 21: the serializer id ('J' Json, 'M' MessagePack, 'Z' MessagePack + LZ4), so during a rolling change of
/// <c>Cache:Serializer</c> an entry written by the other serializer is a miss, not a decode error;</item>
/// <item>bytes 22-34: when the value was loaded from PostgreSQL, Unix milliseconds (13 digits): the <c>Age</c> header;</item>
/// <item>bytes 35-47: the logical (soft) expiry, Unix milliseconds: past it the entry is stale, kept only for fail-safe
/// reads until Redis expires it (its PX is the hard TTL, soft TTL + <c>Cache:FailSafeMaxStaleness</c>).</item>
/// </list>
/// An entry in any other layout (an older release, a corrupted value) does not decode: <see cref="TryDecode{T}"/> says so.
/// </summary>
public static class CacheEnvelope
{
    public const int HeaderLength = 47;
    private const int VersionDigits = 19;
    private const int SerializerOffset = 20;
    private const int LoadedAtOffset = 21;
    private const int SoftExpiryOffset = 34;
    private const int TimeDigits = 13;
    private const byte Absent = (byte)'0';
    private const byte Found = (byte)'1';

    /// <summary>The header's facts about an entry (times in Unix milliseconds).</summary>
    public readonly record struct Stamp(long Version, long LoadedAtMs, long SoftExpiryMs);

    public static byte SerializerId(ICacheSerializer serializer) => serializer.Name switch
    {
        "Json" => (byte)'J',
        "MessagePack" => (byte)'M',
        "MessagePackLz4" => (byte)'Z',
        _ => throw new InvalidOperationException($"No envelope id for serializer '{serializer.Name}'."),
    };

    public static byte[] Encode<T>(ICacheSerializer serializer, T? value, long version, long loadedAtMs = 0, long softExpiryMs = 0)
        where T : class
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        var buffer = new ArrayBufferWriter<byte>(256);
        var header = buffer.GetSpan(HeaderLength)[..HeaderLength];
        header[0] = value is null ? Absent : Found;
        header[SerializerOffset] = SerializerId(serializer);
        if (!Utf8Formatter.TryFormat(version, header[1..], out _, new StandardFormat('D', VersionDigits))
            || !Utf8Formatter.TryFormat(loadedAtMs, header[LoadedAtOffset..], out _, new StandardFormat('D', TimeDigits))
            || !Utf8Formatter.TryFormat(softExpiryMs, header[SoftExpiryOffset..], out _, new StandardFormat('D', TimeDigits)))
            throw new InvalidOperationException("A header field does not fit.");
        buffer.Advance(HeaderLength);
        if (value is not null) serializer.Serialize(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>False (never an exception) when the bytes are not an entry this serializer wrote, or do not deserialize.</summary>
    public static bool TryDecode<T>(ICacheSerializer serializer, ReadOnlyMemory<byte> bytes, out T? value, out Stamp stamp)
        where T : class
    {
        value = null;
        stamp = default;
        var span = bytes.Span;
        if (span.Length < HeaderLength || (span[0] != Found && span[0] != Absent) || span[SerializerOffset] != SerializerId(serializer)
            || !TryParse(span.Slice(1, VersionDigits), out var version)
            || !TryParse(span.Slice(LoadedAtOffset, TimeDigits), out var loadedAt)
            || !TryParse(span.Slice(SoftExpiryOffset, TimeDigits), out var softExpiry))
            return false;
        stamp = new Stamp(version, loadedAt, softExpiry);
        if (span[0] == Absent) return span.Length == HeaderLength;
        try
        {
            value = serializer.Deserialize<T>(bytes[HeaderLength..]);
            return value is not null;
        }
        catch (Exception)
        {
            // Any serializer failure (JsonException, MessagePackSerializationException, …) means "not decodable".
            return false;
        }
    }

    /// <summary>Decodes or throws <see cref="FormatException"/> (for tools and tests; the read paths use <see cref="TryDecode{T}"/>).</summary>
    public static (T? Value, long Version) Decode<T>(ICacheSerializer serializer, ReadOnlyMemory<byte> bytes)
        where T : class =>
        TryDecode<T>(serializer, bytes, out var value, out var stamp) ? (value, stamp.Version) : throw new FormatException("Not a Shop cache entry.");

    private static bool TryParse(ReadOnlySpan<byte> digits, out long number) =>
        Utf8Parser.TryParse(digits, out number, out var consumed) && consumed == digits.Length && number >= 0;
}
