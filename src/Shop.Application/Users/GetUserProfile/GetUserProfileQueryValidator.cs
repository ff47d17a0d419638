using FluentValidation;

namespace Shop.Application.Users.GetUserProfile;

public sealed class GetUserProfileQueryValidator : AbstractValidator<GetUserProfileQuery>
{
    public GetUserProfileQueryValidator() => RuleFor(q => q.UserId).GreaterThan(0);
}
