using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Users.UpdatePreferences;

/// <summary>Changes preferences; the new value is written through to the cache after the commit.</summary>
public sealed record UpdatePreferencesCommand(int UserId, string Currency, string Language, bool MarketingEmails)
    : ICommand<UserPreferencesDto>, IUserScopedRequest, IWriteThroughCommand
{
    public CacheKey CacheKey => CacheKeys.Preferences(UserId);
}
