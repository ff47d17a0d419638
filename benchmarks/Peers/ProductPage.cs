using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Peers;

/// <summary>The product-page JSON Shop's GET /api/products/{id} returns (Shop's ProductPageDto), field for field.</summary>
/// <remarks>
/// A separate copy, so the peers app depends on nothing of Shop's. Marked immutable because it is: HybridCache then
/// hands out its cached instance on an L1 hit instead of deserializing a fresh copy (its documented fast path).
/// </remarks>
[ImmutableObject(true)]
public sealed record ProductPage(
    int Id,
    string Sku,
    string Name,
    string Description,
    decimal Price,
    string Currency,
    int CategoryId,
    string CategoryName,
    Rating Rating,
    DateTimeOffset UpdatedAt);

/// <summary>Review summary: average rounded to 2 decimals (0 when there is none) and count.</summary>
[ImmutableObject(true)]
public sealed record Rating(decimal Average, int Count);

/// <summary>Source-generated metadata (web defaults: camelCase), used for the HTTP responses and the raw Redis values.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProductPage))]
internal sealed partial class PeersJsonContext : JsonSerializerContext;
