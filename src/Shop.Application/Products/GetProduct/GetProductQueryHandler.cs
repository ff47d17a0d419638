using Mediator;
using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Application.Products.GetProduct;

public sealed class GetProductQueryHandler(IShopDbContext db) : IQueryHandler<GetProductQuery, ProductPageDto>
{
    public async ValueTask<ProductPageDto> Handle(GetProductQuery query, CancellationToken cancellationToken) =>
        await ProductPages.Where(db, p => p.Id == query.Id).FirstOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("Product", query.Id);
}
