using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Shop.Application.Categories.ListCategoryProducts;
using Shop.Application.Common;
using Shop.Application.Products;
using Shop.Application.Products.GetProductPricing;
using Shop.Application.Users;

namespace Shop.Infrastructure.Caching.Serialization;

/// <summary>System.Text.Json with source-generated metadata (no reflection at run time). Readable in redis-cli.</summary>
public sealed class JsonCacheSerializer : ICacheSerializer
{
    public string Name => "Json";

    public void Serialize<T>(IBufferWriter<byte> writer, T value)
    {
        using var json = new Utf8JsonWriter(writer);
        JsonSerializer.Serialize(json, value, Info<T>());
    }

    public T Deserialize<T>(ReadOnlyMemory<byte> bytes) => JsonSerializer.Deserialize(bytes.Span, Info<T>())!;

    private static JsonTypeInfo<T> Info<T>() =>
        CacheJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered in {nameof(CacheJsonContext)}.");
}

/// <summary>Every type that is cached must be listed here (a unit test checks all cacheable queries).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProductPageDto))]
[JsonSerializable(typeof(ProductPricingDto))]
[JsonSerializable(typeof(PagedList<ProductSummaryDto>))]
[JsonSerializable(typeof(UserProfileDto))]
[JsonSerializable(typeof(UserPreferencesDto))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
