using Shop.Domain.Common;

namespace Shop.Domain.Users;

public sealed class User
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;

    private User() { }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Email { get; private set; } = "";
    public Plan Plan { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public long Version { get; private set; }
    public UserPreferences? Preferences { get; private set; }

    public static User Create(string name, string email, Plan plan, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength) throw new DomainException("Invalid name.");
        if (string.IsNullOrWhiteSpace(email) || email.Length > MaxEmailLength) throw new DomainException("Invalid email.");
        return new User
        {
            Name = name,
            Email = email.Trim().ToLowerInvariant(),
            Plan = plan,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
            Preferences = UserPreferences.Default(now),
        };
    }

    public void ChangePlan(Plan plan, DateTimeOffset now)
    {
        if (!Enum.IsDefined(plan)) throw new DomainException($"Unknown plan {plan}.");
        Plan = plan;
        UpdatedAt = now;
        Version++;
    }
}
