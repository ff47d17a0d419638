using FluentValidation;

namespace Shop.Application.PageViews.GetPageViews;

public sealed class GetPageViewsQueryValidator : AbstractValidator<GetPageViewsQuery>
{
    public GetPageViewsQueryValidator() => RuleFor(q => q.ProductId).GreaterThan(0);
}
