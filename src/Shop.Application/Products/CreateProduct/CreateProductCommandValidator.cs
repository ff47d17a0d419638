using FluentValidation;
using Shop.Application.Common;
using Shop.Domain.Products;

namespace Shop.Application.Products.CreateProduct;

public sealed class CreateProductCommandValidator : AbstractValidator<CreateProductCommand>
{
    public CreateProductCommandValidator()
    {
        RuleFor(c => c.Sku).NotEmpty().MaximumLength(Product.MaxSkuLength).Matches(@"^[A-Za-z0-9-]+\z")
            .WithMessage("SKU may contain only letters, digits and '-'.");
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Product.MaxNameLength).MustBePlainText();
        RuleFor(c => c.Description).MaximumLength(Product.MaxDescriptionLength).MustBeMultilineText();
        RuleFor(c => c.Price).MustBeAValidPrice();
        RuleFor(c => c.Currency).MustBeACurrencyCode();
        RuleFor(c => c.CategoryId).GreaterThan(0);
    }
}
