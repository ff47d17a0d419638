using System.Text.Json.Serialization;

namespace Shop.Infrastructure.Caching;

/// <summary>One invalidation on the wire: logical keys and groups to drop, who sent it, and when (UTC ticks).</summary>
public sealed record InvalidationMessage(
    [property: JsonPropertyName("s")] string Sender,
    [property: JsonPropertyName("k")] IReadOnlyList<string> Keys,
    [property: JsonPropertyName("g")] IReadOnlyList<string> Groups,
    [property: JsonPropertyName("t")] long SentAtTicks);
