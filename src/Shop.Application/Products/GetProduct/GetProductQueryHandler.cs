using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Application.Products.GetProduct;

public sealed class GetProductQueryHandler(IShopDbContext db) : IQueryHandler<GetProductQuery, ProductPageDto>
{
    public async ValueTask<ProductPageDto> Handle(GetProductQuery query, CancellationToken cancellationToken) =>
        await ProductPages.ByIdAsync(db, query.Id, cancellationToken)
        ?? throw new NotFoundException("Product", query.Id);
}
