using FluentValidation;

namespace Shop.Application.Products.GetProduct;

public sealed class GetProductQueryValidator : AbstractValidator<GetProductQuery>
{
    public GetProductQueryValidator() => RuleFor(q => q.Id).GreaterThan(0);
}
