using Mediator;
using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Application.Users.GetUserProfile;

public sealed class GetUserProfileQueryHandler(IShopDbContext db) : IQueryHandler<GetUserProfileQuery, UserProfileDto>
{
    public async ValueTask<UserProfileDto> Handle(GetUserProfileQuery query, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == query.UserId, cancellationToken)
            ?? throw new NotFoundException("User", query.UserId);
        return UserProjections.ToProfile(user);
    }
}
