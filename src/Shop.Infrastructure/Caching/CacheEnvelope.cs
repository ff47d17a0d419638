using System.Buffers;
using System.Buffers.Text;
using Shop.Infrastructure.Caching.Serialization;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// What a Redis value holds: a 20-byte ASCII header, then the payload. Byte 1 is '1' (found) or '0' (absent);
/// bytes 2-20 are the entity version as 19 zero-padded digits (0 when unknown). ASCII so the write-through
/// Lua script can read the version with <c>tonumber(string.sub(value, 2, 20))</c> and refuse an older write.
/// </summary>
public static class CacheEnvelope
{
    public const int HeaderLength = 20;
    private const byte Absent = (byte)'0';
    private const byte Found = (byte)'1';

    public static byte[] Encode<T>(ICacheSerializer serializer, T? value, long version)
        where T : class
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        var buffer = new ArrayBufferWriter<byte>(256);
        var header = buffer.GetSpan(HeaderLength)[..HeaderLength];
        header[0] = value is null ? Absent : Found;
        if (!Utf8Formatter.TryFormat(version, header[1..], out _, new StandardFormat('D', HeaderLength - 1)))
            throw new InvalidOperationException("Version does not fit the header.");
        buffer.Advance(HeaderLength);
        if (value is not null) serializer.Serialize(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    public static (T? Value, long Version) Decode<T>(ICacheSerializer serializer, ReadOnlyMemory<byte> bytes)
        where T : class
    {
        var span = bytes.Span;
        if (span.Length < HeaderLength || !Utf8Parser.TryParse(span[1..HeaderLength], out long version, out _))
            throw new FormatException("Not a Shop cache entry.");
        return span[0] == Found ? (serializer.Deserialize<T>(bytes[HeaderLength..]), version) : (null, version);
    }
}
