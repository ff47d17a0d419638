using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Users.GetPreferences;

public sealed record GetPreferencesQuery(int UserId) : IQuery<UserPreferencesDto>, IUserScopedRequest, ICacheableQuery
{
    public CacheKey CacheKey => CacheKeys.Preferences(UserId);
}
