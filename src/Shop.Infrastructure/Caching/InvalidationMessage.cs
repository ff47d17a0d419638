using System.Text.Json.Serialization;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// One invalidation on the wire: the logical keys every instance drops from L1, which of them are version counters
/// (moved on in Redis rather than deleted), who sent it, and when (UTC ticks).
/// </summary>
public sealed record InvalidationMessage(
    [property: JsonPropertyName("s")] string Sender,
    [property: JsonPropertyName("k")] IReadOnlyList<string> Keys,
    [property: JsonPropertyName("v")] IReadOnlyList<string> Versions,
    [property: JsonPropertyName("t")] long SentAtTicks);
