using FluentValidation;

namespace Shop.Application.Users.GetUserOverview;

public sealed class GetUserOverviewQueryValidator : AbstractValidator<GetUserOverviewQuery>
{
    public GetUserOverviewQueryValidator() => RuleFor(q => q.UserId).GreaterThan(0);
}
