using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// One invalidation on the wire: the logical keys every instance drops from L1, which of them are version counters
/// (moved on in Redis rather than deleted), who sent it, and when (UTC ticks). The wire format (short JSON names,
/// source-generated, no reflection per message) is here so the sender and the receivers share it.
/// </summary>
public sealed partial record InvalidationMessage(
    [property: JsonPropertyName("s")] string Sender,
    [property: JsonPropertyName("k")] IReadOnlyList<string> Keys,
    [property: JsonPropertyName("v")] IReadOnlyList<string> Versions,
    [property: JsonPropertyName("t")] long SentAtTicks)
{
    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this, WireFormat.Default.InvalidationMessage);

    /// <summary>The message, or null if <paramref name="payload"/> is not one (another publisher on the channel, a corrupt payload).</summary>
    public static InvalidationMessage? Decode(byte[] payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, WireFormat.Default.InvalidationMessage);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [JsonSerializable(typeof(InvalidationMessage))]
    private sealed partial class WireFormat : JsonSerializerContext;
}
