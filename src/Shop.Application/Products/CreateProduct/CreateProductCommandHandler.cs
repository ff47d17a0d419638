using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;
using Shop.Domain.Products;

namespace Shop.Application.Products.CreateProduct;

public sealed class CreateProductCommandHandler(IShopDbContext db, TimeProvider clock) : ICommandHandler<CreateProductCommand, ProductPageDto>
{
    public async ValueTask<ProductPageDto> Handle(CreateProductCommand command, CancellationToken cancellationToken)
    {
        var category = await db.Categories.AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.CategoryId, cancellationToken)
            ?? throw new ValidationException([new ValidationFailure(nameof(command.CategoryId), $"Category {command.CategoryId} does not exist.")]);

        var product = Product.Create(command.Sku, command.Name, command.Description ?? "", command.Price, command.Currency, category.Id, clock.GetUtcNow());
        db.Products.Add(product);
        await db.SaveChangesAsync(cancellationToken); // a duplicate SKU surfaces as ConflictException

        return new ProductPageDto(product.Id, product.Sku, product.Name, product.Description, product.Price, product.Currency,
            category.Id, category.Name, new RatingDto(0m, 0), product.UpdatedAt);
    }
}
