using Mediator;
using Shop.Application.Common;

namespace Shop.Application.Users.UpdatePreferences;

public sealed record UpdatePreferencesCommand(int UserId, string Currency, string Language, bool MarketingEmails)
    : ICommand<UserPreferencesDto>, IUserScopedRequest;
