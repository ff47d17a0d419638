using Mediator;
using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Application.Products.ChangeProductPrice;

public sealed class ChangeProductPriceCommandHandler(IShopDbContext db, TimeProvider clock) : ICommandHandler<ChangeProductPriceCommand, ProductPageDto>
{
    public async ValueTask<ProductPageDto> Handle(ChangeProductPriceCommand command, CancellationToken cancellationToken)
    {
        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == command.ProductId, cancellationToken)
            ?? throw new NotFoundException("Product", command.ProductId);

        product.ChangePrice(command.Price, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken); // the Version token turns a lost update into ConflictException

        return await ProductPages.ByIdAsync(db, command.ProductId, cancellationToken)
            ?? throw new NotFoundException("Product", command.ProductId); // deleted between the commit and this read
    }
}
