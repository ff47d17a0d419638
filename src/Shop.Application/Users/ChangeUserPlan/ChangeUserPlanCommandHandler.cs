using Mediator;
using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Application.Users.ChangeUserPlan;

public sealed class ChangeUserPlanCommandHandler(IShopDbContext db, TimeProvider clock) : ICommandHandler<ChangeUserPlanCommand, UserProfileDto>
{
    public async ValueTask<UserProfileDto> Handle(ChangeUserPlanCommand command, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == command.UserId, cancellationToken)
            ?? throw new NotFoundException("User", command.UserId);
        var plan = Plans.Parse(command.Plan);
        user.ChangePlan(plan, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return UserProjections.ToProfile(user);
    }
}
