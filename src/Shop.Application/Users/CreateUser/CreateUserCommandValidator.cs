using FluentValidation;
using Shop.Application.Common;
using Shop.Domain.Users;

namespace Shop.Application.Users.CreateUser;

public sealed class CreateUserCommandValidator : AbstractValidator<CreateUserCommand>
{
    public CreateUserCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(User.MaxNameLength);
        RuleFor(c => c.Email).NotEmpty().MaximumLength(User.MaxEmailLength).EmailAddress();
        RuleFor(c => c.Plan).MustBeAPlan();
    }
}
