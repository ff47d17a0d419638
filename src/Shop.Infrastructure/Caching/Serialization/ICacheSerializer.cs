using System.Buffers;

namespace Shop.Infrastructure.Caching.Serialization;

/// <summary>How cached values become bytes in Redis. Chosen by <c>Cache:Serializer</c>.</summary>
public interface ICacheSerializer
{
    string Name { get; }

    void Serialize<T>(IBufferWriter<byte> writer, T value);

    T Deserialize<T>(ReadOnlyMemory<byte> bytes);
}
