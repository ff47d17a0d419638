using Mediator;
using Shop.Application.Abstractions;

namespace Shop.Application.Products.GetProducts;

public sealed class GetProductsQueryHandler(IShopDbContext db) : IQueryHandler<GetProductsQuery, IReadOnlyList<ProductPageDto>>
{
    public async ValueTask<IReadOnlyList<ProductPageDto>> Handle(GetProductsQuery query, CancellationToken cancellationToken)
    {
        var ids = query.Ids.ToArray();
        var found = new Dictionary<int, ProductPageDto>(ids.Length);
        await foreach (var page in ProductPages.ByIds(db, ids).WithCancellation(cancellationToken))
            found[page.Id] = page;
        return [.. ids.Where(found.ContainsKey).Select(id => found[id])];
    }
}
