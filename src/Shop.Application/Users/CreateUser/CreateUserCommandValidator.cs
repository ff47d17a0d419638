using FluentValidation;
using Shop.Application.Common;
using Shop.Domain.Users;

namespace Shop.Application.Users.CreateUser;

public sealed class CreateUserCommandValidator : AbstractValidator<CreateUserCommand>
{
    public CreateUserCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(User.MaxNameLength).MustBePlainText();
        RuleFor(c => c.Email).NotEmpty().MaximumLength(User.MaxEmailLength).EmailAddress().MustBePlainText();
        RuleFor(c => c.Plan).MustBeAPlan();
    }
}
