using Mediator;
using Shop.Application.Common;

namespace Shop.Application.Users.GetUserProfile;

public sealed record GetUserProfileQuery(int UserId) : IQuery<UserProfileDto>, IUserScopedRequest;
