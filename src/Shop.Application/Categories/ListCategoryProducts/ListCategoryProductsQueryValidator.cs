using FluentValidation;

namespace Shop.Application.Categories.ListCategoryProducts;

public sealed class ListCategoryProductsQueryValidator : AbstractValidator<ListCategoryProductsQuery>
{
    public ListCategoryProductsQueryValidator()
    {
        RuleFor(q => q.CategoryId).GreaterThan(0);
        RuleFor(q => q.Page).InclusiveBetween(1, 100_000);
        RuleFor(q => q.PageSize).InclusiveBetween(1, ListCategoryProductsQuery.MaxPageSize);
    }
}
