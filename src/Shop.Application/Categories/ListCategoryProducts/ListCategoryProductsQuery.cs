using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Categories.ListCategoryProducts;

public sealed record ListCategoryProductsQuery(int CategoryId, int Page = 1, int PageSize = 20)
    : IQuery<PagedList<ProductSummaryDto>>, IPublicRequest, ICacheableQuery
{
    public CacheKey CacheKey => CacheKeys.CategoryPage(CategoryId, Page, PageSize);

    public const int MaxPageSize = 100;
}
