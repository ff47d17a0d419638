using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.Application.Categories.ListCategoryProducts;
using Shop.Application.Common;
using Shop.Application.Products;
using Shop.Application.Products.GetProductPricing;
using Shop.Application.Users;

namespace Shop.Infrastructure.Caching.Serialization;

/// <summary>Every type that is cached must be listed here (a unit test checks all cacheable queries).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProductPageDto))]
[JsonSerializable(typeof(ProductPricingDto))]
[JsonSerializable(typeof(PagedList<ProductSummaryDto>))]
[JsonSerializable(typeof(UserProfileDto))]
[JsonSerializable(typeof(UserPreferencesDto))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
