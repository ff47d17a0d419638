using Mediator;
using Shop.Application.Common;

namespace Shop.Application.Users.GetPreferences;

public sealed record GetPreferencesQuery(int UserId) : IQuery<UserPreferencesDto>, IUserScopedRequest;
