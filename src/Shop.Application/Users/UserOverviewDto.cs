namespace Shop.Application.Users;

public sealed record UserOverviewDto(UserProfileDto Profile, UserPreferencesDto Preferences);
