using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Users.CreateUser;

/// <summary>Creates a user; a cached "absent" for the new id is invalidated.</summary>
public sealed record CreateUserCommand(string Name, string Email, string Plan)
    : ICommand<UserProfileDto>, IAdminRequest, IInvalidatesCache<UserProfileDto>
{
    public CacheInvalidation InvalidationFor(UserProfileDto response) =>
        CacheInvalidation.Of(CacheKeys.Profile(response.Id), CacheKeys.Preferences(response.Id));
}
