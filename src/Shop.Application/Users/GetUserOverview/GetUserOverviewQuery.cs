using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Users.GetUserOverview;

/// <summary>
/// Profile and preferences together, composed from the two cached queries so each part is cached once;
/// both keys carry the hash tag {user:id}, so they are prefetched from Redis with one MGET.
/// </summary>
public sealed record GetUserOverviewQuery(int UserId) : IQuery<UserOverviewDto>, IUserScopedRequest, ICachePrefetchingQuery
{
    public IReadOnlyList<CachePrefetchKey> PrefetchKeys =>
        [CachePrefetchKey.Of<UserProfileDto>(CacheKeys.Profile(UserId)), CachePrefetchKey.Of<UserPreferencesDto>(CacheKeys.Preferences(UserId))];
}
