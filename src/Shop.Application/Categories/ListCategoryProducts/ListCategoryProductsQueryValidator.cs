using FluentValidation;

namespace Shop.Application.Categories.ListCategoryProducts;

public sealed class ListCategoryProductsQueryValidator : AbstractValidator<ListCategoryProductsQuery>
{
    public ListCategoryProductsQueryValidator()
    {
        RuleFor(q => q.CategoryId).GreaterThan(0);
        RuleFor(q => q.Page).InclusiveBetween(1, ListCategoryProductsQuery.MaxPage);
        RuleFor(q => q.PageSize).Must(size => ListCategoryProductsQuery.PageSizes.Contains(size))
            .WithMessage($"PageSize must be one of {string.Join(", ", ListCategoryProductsQuery.PageSizes)}.");
    }
}
