using System.Text.Json.Serialization;

namespace Shop.Infrastructure.Caching;

/// <summary>Source-generated JSON for <see cref="InvalidationMessage"/> (no reflection per message).</summary>
[JsonSerializable(typeof(InvalidationMessage))]
internal sealed partial class InvalidationJsonContext : JsonSerializerContext;
