using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.Application.Categories.ListCategoryProducts;
using Shop.Application.PageViews;
using Shop.Application.Products;
using Shop.Application.Products.GetProductPricing;
using Shop.Application.Users;

namespace Shop.Api;

/// <summary>
/// Source-generated JSON for the responses of the cached reads, so writing one needs no reflection-based
/// serializer (that was ~5 % of an L1-hit request's CPU in the profile). Web defaults, as the reflection path used;
/// any type not listed here still goes through the reflection resolver next in the chain.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProductPageDto))]
[JsonSerializable(typeof(IReadOnlyList<ProductPageDto>))]
[JsonSerializable(typeof(ProductPricingDto))]
[JsonSerializable(typeof(PagedList<ProductSummaryDto>))]
[JsonSerializable(typeof(UserProfileDto))]
[JsonSerializable(typeof(UserPreferencesDto))]
[JsonSerializable(typeof(UserOverviewDto))]
[JsonSerializable(typeof(PageViewsDto))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
