namespace Shop.Application.Users;

public sealed record UserProfileDto(int Id, string Name, string Email, string Plan);

public sealed record UserPreferencesDto(int UserId, string Currency, string Language, bool MarketingEmails);

public sealed record UserOverviewDto(UserProfileDto Profile, UserPreferencesDto Preferences);
