using Mediator;
using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Application.Users.GetPreferences;

public sealed class GetPreferencesQueryHandler(IShopDbContext db) : IQueryHandler<GetPreferencesQuery, UserPreferencesDto>
{
    public async ValueTask<UserPreferencesDto> Handle(GetPreferencesQuery query, CancellationToken cancellationToken) =>
        await db.UserPreferences.AsNoTracking().Where(p => p.UserId == query.UserId)
            .Select(UserProjections.Preferences).FirstOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("User", query.UserId);
}
