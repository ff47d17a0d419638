using System.Linq.Expressions;
using Shop.Application.Common;
using Shop.Domain.Users;

namespace Shop.Application.Users;

internal static class UserProjections
{
    public static UserProfileDto ToProfile(User u) => new(u.Id, u.Name, u.Email, Plans.ToName(u.Plan), u.Version);

    public static readonly Expression<Func<UserPreferences, UserPreferencesDto>> Preferences =
        p => new UserPreferencesDto(p.UserId, p.Currency, p.Language, p.MarketingEmails, p.Version);

    public static UserPreferencesDto ToPreferences(UserPreferences p) => new(p.UserId, p.Currency, p.Language, p.MarketingEmails, p.Version);
}
