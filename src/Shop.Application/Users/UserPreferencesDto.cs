using Shop.Application.Caching;

namespace Shop.Application.Users;

public sealed record UserPreferencesDto(int UserId, string Currency, string Language, bool MarketingEmails, long Version) : IVersioned;
