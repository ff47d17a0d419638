using Mediator;
using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Application.Users.GetUserOverview;

public sealed class GetUserOverviewQueryHandler(IShopDbContext db) : IQueryHandler<GetUserOverviewQuery, UserOverviewDto>
{
    public async ValueTask<UserOverviewDto> Handle(GetUserOverviewQuery query, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().Include(u => u.Preferences)
            .FirstOrDefaultAsync(u => u.Id == query.UserId, cancellationToken)
            ?? throw new NotFoundException("User", query.UserId);
        return new UserOverviewDto(UserProjections.ToProfile(user), UserProjections.ToPreferences(user.Preferences!));
    }
}
