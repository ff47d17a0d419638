using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Users.GetUserProfile;

public sealed record GetUserProfileQuery(int UserId) : IQuery<UserProfileDto>, IUserScopedRequest, ICacheableQuery
{
    public CacheKey CacheKey => CacheKeys.Profile(UserId);
}
