using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Common;
using Shop.Domain.Users;

namespace Shop.Application.Users.CreateUser;

public sealed class CreateUserCommandHandler(IShopDbContext db, TimeProvider clock) : ICommandHandler<CreateUserCommand, UserProfileDto>
{
    public async ValueTask<UserProfileDto> Handle(CreateUserCommand command, CancellationToken cancellationToken)
    {
        var plan = Plans.Parse(command.Plan);
        var user = User.Create(command.Name, command.Email, plan, clock.GetUtcNow());
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken); // a duplicate email surfaces as ConflictException
        return UserProjections.ToProfile(user);
    }
}
