using FluentValidation;
using Shop.Application.Common;

namespace Shop.Application.Users.UpdatePreferences;

public sealed class UpdatePreferencesCommandValidator : AbstractValidator<UpdatePreferencesCommand>
{
    public UpdatePreferencesCommandValidator()
    {
        RuleFor(c => c.UserId).GreaterThan(0);
        RuleFor(c => c.Currency).MustBeACurrencyCode();
        RuleFor(c => c.Language).NotEmpty().Matches(@"^[a-z]{2}(-[A-Z]{2})?\z")
            .WithMessage("Language must be an IETF tag such as 'en' or 'en-GB'.");
    }
}
