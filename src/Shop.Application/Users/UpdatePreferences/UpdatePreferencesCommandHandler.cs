using Mediator;
using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Application.Users.UpdatePreferences;

public sealed class UpdatePreferencesCommandHandler(IShopDbContext db, TimeProvider clock)
    : ICommandHandler<UpdatePreferencesCommand, UserPreferencesDto>
{
    public async ValueTask<UserPreferencesDto> Handle(UpdatePreferencesCommand command, CancellationToken cancellationToken)
    {
        var preferences = await db.UserPreferences.FirstOrDefaultAsync(p => p.UserId == command.UserId, cancellationToken)
            ?? throw new NotFoundException("User", command.UserId);
        preferences.Update(command.Currency, command.Language, command.MarketingEmails, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return UserProjections.ToPreferences(preferences);
    }
}
