using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Categories.ListCategoryProducts;

/// <summary>
/// One page of a category's products. Cached per category version (<see cref="CacheKeys.CategoryPage"/>); the
/// page/pageSize space is bounded (<see cref="PageSizes"/>, <see cref="MaxPage"/>), so anonymous clients can create
/// at most <see cref="MaxPage"/> × 4 = 4,000 listing keys per category and version.
/// </summary>
public sealed record ListCategoryProductsQuery(int CategoryId, int Page = 1, int PageSize = 20)
    : IQuery<PagedList<ProductSummaryDto>>, IPublicRequest, ICacheVersionedQuery<ListCategoryProductsQuery>
{
    /// <summary>The only page sizes accepted: each one is a separate set of cached pages.</summary>
    public static readonly IReadOnlyList<int> PageSizes = [10, 20, 50, 100];

    public const int MaxPage = 1_000;

    /// <summary>The category's listing version, set by <see cref="Behaviours.CacheVersionBehaviour{TMessage, TResponse}"/>.</summary>
    public long CacheVersion { get; init; }

    public string CacheVersionKey => CacheKeys.CategoryVersion(CategoryId);

    public ListCategoryProductsQuery WithCacheVersion(long version) => this with { CacheVersion = version };

    public CacheKey CacheKey => CacheKeys.CategoryPage(CategoryId, CacheVersion, Page, PageSize);
}
