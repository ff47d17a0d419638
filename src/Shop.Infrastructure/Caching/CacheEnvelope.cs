using System.Buffers;
using System.Buffers.Binary;
using Shop.Infrastructure.Caching.Serialization;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// What a Redis value holds: one byte "found/absent", the entity version (0 when unknown), then the payload.
/// The version lets a write-through compare-and-set refuse to replace a newer entry with an older one.
/// </summary>
public static class CacheEnvelope
{
    private const byte Absent = 0;
    private const byte Found = 1;
    private const int HeaderLength = 1 + sizeof(long);

    public static byte[] Encode<T>(ICacheSerializer serializer, T? value, long version)
        where T : class
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var header = buffer.GetSpan(HeaderLength);
        header[0] = value is null ? Absent : Found;
        BinaryPrimitives.WriteInt64LittleEndian(header[1..], version);
        buffer.Advance(HeaderLength);
        if (value is not null) serializer.Serialize(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    public static (T? Value, long Version) Decode<T>(ICacheSerializer serializer, ReadOnlyMemory<byte> bytes)
        where T : class
    {
        if (bytes.Length < HeaderLength) throw new FormatException("Cache entry too short.");
        var span = bytes.Span;
        var version = BinaryPrimitives.ReadInt64LittleEndian(span[1..]);
        return span[0] == Found ? (serializer.Deserialize<T>(bytes[HeaderLength..]), version) : (null, version);
    }
}
