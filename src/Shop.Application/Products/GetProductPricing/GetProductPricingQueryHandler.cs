using Mediator;
using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Application.Products.GetProductPricing;

public sealed class GetProductPricingQueryHandler(IShopDbContext db) : IQueryHandler<GetProductPricingQuery, ProductPricingDto>
{
    public async ValueTask<ProductPricingDto> Handle(GetProductPricingQuery query, CancellationToken cancellationToken) =>
        await db.Products.AsNoTracking()
            .Where(p => p.Id == query.ProductId)
            .Select(p => new ProductPricingDto(p.Id, p.Price, p.Currency, p.UpdatedAt))
            .FirstOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("Product", query.ProductId);
}
