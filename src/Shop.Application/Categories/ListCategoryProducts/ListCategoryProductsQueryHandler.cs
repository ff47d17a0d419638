using Mediator;
using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Application.Categories.ListCategoryProducts;

public sealed class ListCategoryProductsQueryHandler(IShopDbContext db)
    : IQueryHandler<ListCategoryProductsQuery, PagedList<ProductSummaryDto>>
{
    public async ValueTask<PagedList<ProductSummaryDto>> Handle(ListCategoryProductsQuery query, CancellationToken cancellationToken)
    {
        if (!await db.Categories.AnyAsync(c => c.Id == query.CategoryId, cancellationToken))
            throw new NotFoundException("Category", query.CategoryId);

        var inCategory = db.Products.AsNoTracking().Where(p => p.CategoryId == query.CategoryId);
        var total = await inCategory.CountAsync(cancellationToken);
        var items = await inCategory
            .OrderBy(p => p.Id)
            .Skip((query.Page - 1) * query.PageSize)
            .Take(query.PageSize)
            .Select(p => new ProductSummaryDto(p.Id, p.Sku, p.Name, p.Price, p.Currency, p.UpdatedAt))
            .ToListAsync(cancellationToken);
        return new PagedList<ProductSummaryDto>(items, query.Page, query.PageSize, total);
    }
}
