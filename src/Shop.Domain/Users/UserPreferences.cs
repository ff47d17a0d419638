namespace Shop.Domain.Users;

public sealed class UserPreferences
{
    private UserPreferences() { }

    public int UserId { get; private set; }
    public string Currency { get; private set; } = "EUR";
    public string Language { get; private set; } = "en";
    public bool MarketingEmails { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public long Version { get; private set; }

    public static UserPreferences Default(DateTimeOffset now) => new() { UpdatedAt = now, Version = 1 };

    public void Update(string currency, string language, bool marketingEmails, DateTimeOffset now)
    {
        Currency = currency;
        Language = language;
        MarketingEmails = marketingEmails;
        UpdatedAt = now;
        Version++;
    }
}
