using System.Buffers;
using MessagePack;
using MessagePack.Resolvers;

namespace Shop.Infrastructure.Caching.Serialization;

/// <summary>
/// MessagePack, contractless (the DTOs stay free of serializer attributes): smaller and faster than JSON,
/// but binary, so redis-cli shows bytes. Optional LZ4 block compression for large values.
/// </summary>
public sealed class MessagePackCacheSerializer(bool lz4 = false) : ICacheSerializer
{
    private readonly MessagePackSerializerOptions _options = MessagePackSerializerOptions.Standard
        .WithResolver(ContractlessStandardResolver.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData)
        .WithCompression(lz4 ? MessagePackCompression.Lz4BlockArray : MessagePackCompression.None);

    public string Name => lz4 ? "MessagePackLz4" : "MessagePack";

    public void Serialize<T>(IBufferWriter<byte> writer, T value) => MessagePackSerializer.Serialize(writer, value, _options);

    public T Deserialize<T>(ReadOnlyMemory<byte> bytes) => MessagePackSerializer.Deserialize<T>(bytes, _options);
}
