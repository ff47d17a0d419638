using Mediator;
using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;

namespace Shop.Application.Products.GetProducts;

public sealed class GetProductsQueryHandler(IShopDbContext db) : IQueryHandler<GetProductsQuery, IReadOnlyList<ProductPageDto>>
{
    public async ValueTask<IReadOnlyList<ProductPageDto>> Handle(GetProductsQuery query, CancellationToken cancellationToken)
    {
        var ids = query.Ids.ToArray();
        var found = await ProductPages.Where(db, p => ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, cancellationToken);
        return [.. ids.Where(found.ContainsKey).Select(id => found[id])];
    }
}
