using FluentValidation;
using Shop.Application.Common;

namespace Shop.Application.Products.ChangeProductPrice;

public sealed class ChangeProductPriceCommandValidator : AbstractValidator<ChangeProductPriceCommand>
{
    public ChangeProductPriceCommandValidator()
    {
        RuleFor(c => c.ProductId).GreaterThan(0);
        RuleFor(c => c.Price).MustBeAValidPrice();
    }
}
