using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Users.ChangeUserPlan;

/// <summary>Changes a plan; the new profile is written through to the cache after the commit.</summary>
public sealed record ChangeUserPlanCommand(int UserId, string Plan) : ICommand<UserProfileDto>, IAdminRequest, IWriteThroughCommand
{
    public CacheKey CacheKey => CacheKeys.Profile(UserId);
}
