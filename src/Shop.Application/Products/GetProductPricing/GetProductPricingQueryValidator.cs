using FluentValidation;

namespace Shop.Application.Products.GetProductPricing;

public sealed class GetProductPricingQueryValidator : AbstractValidator<GetProductPricingQuery>
{
    public GetProductPricingQueryValidator() => RuleFor(q => q.ProductId).GreaterThan(0);
}
