using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Categories.ListCategoryProducts;

public sealed record ProductSummaryDto(int Id, string Sku, string Name, decimal Price, string Currency, DateTimeOffset UpdatedAt);

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public sealed record ListCategoryProductsQuery(int CategoryId, int Page = 1, int PageSize = 20)
    : IQuery<PagedList<ProductSummaryDto>>, IPublicRequest, ICacheableQuery
{
    public CacheKey CacheKey => CacheKeys.CategoryPage(CategoryId, Page, PageSize);

    public const int MaxPageSize = 100;
}
