using FluentValidation;
using Shop.Application.Common;

namespace Shop.Application.Users.ChangeUserPlan;

public sealed class ChangeUserPlanCommandValidator : AbstractValidator<ChangeUserPlanCommand>
{
    public ChangeUserPlanCommandValidator()
    {
        RuleFor(c => c.UserId).GreaterThan(0);
        RuleFor(c => c.Plan).MustBeAPlan();
    }
}
