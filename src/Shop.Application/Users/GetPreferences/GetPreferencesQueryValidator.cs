using FluentValidation;

namespace Shop.Application.Users.GetPreferences;

public sealed class GetPreferencesQueryValidator : AbstractValidator<GetPreferencesQuery>
{
    public GetPreferencesQueryValidator() => RuleFor(q => q.UserId).GreaterThan(0);
}
