using FluentValidation;

namespace Shop.Application.Products.GetProducts;

public sealed class GetProductsQueryValidator : AbstractValidator<GetProductsQuery>
{
    public GetProductsQueryValidator()
    {
        RuleFor(q => q.Ids)
            .NotEmpty().WithMessage("Give at least one id.")
            .Must(ids => ids.Count <= GetProductsQuery.MaxIds).WithMessage($"Give at most {GetProductsQuery.MaxIds} ids.")
            .Must(ids => ids.Distinct().Count() == ids.Count).WithMessage("Ids must be distinct.");
        RuleForEach(q => q.Ids).GreaterThan(0);
    }
}
