using FluentValidation;
using Shop.Application.Users.GetPreferences;
using Shop.Application.Users.GetUserOverview;
using Shop.Application.Users.GetUserProfile;

namespace Shop.Application.Users;

public sealed class GetUserProfileQueryValidator : AbstractValidator<GetUserProfileQuery>
{
    public GetUserProfileQueryValidator() => RuleFor(q => q.UserId).GreaterThan(0);
}

public sealed class GetPreferencesQueryValidator : AbstractValidator<GetPreferencesQuery>
{
    public GetPreferencesQueryValidator() => RuleFor(q => q.UserId).GreaterThan(0);
}

public sealed class GetUserOverviewQueryValidator : AbstractValidator<GetUserOverviewQuery>
{
    public GetUserOverviewQueryValidator() => RuleFor(q => q.UserId).GreaterThan(0);
}
