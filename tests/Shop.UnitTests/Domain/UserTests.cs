using Shop.Domain.Common;
using Shop.Domain.Users;

namespace Shop.UnitTests.Domain;

public sealed class UserTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Create_trims_and_lower_cases_the_email_and_starts_at_version_1()
    {
        var user = User.Create("Ada", "  Ada.Lovelace@Example.COM ", Plan.Pro, Created);

        Assert.Equal("Ada", user.Name);
        Assert.Equal("ada.lovelace@example.com", user.Email);
        Assert.Equal(Plan.Pro, user.Plan);
        Assert.Equal(Created, user.CreatedAt);
        Assert.Equal(Created, user.UpdatedAt);
        Assert.Equal(1, user.Version);
    }

    [Fact]
    public void Create_gives_default_preferences()
    {
        var preferences = User.Create("Ada", "ada@example.com", Plan.Free, Created).Preferences;

        Assert.NotNull(preferences);
        Assert.Equal("EUR", preferences.Currency);
        Assert.Equal("en", preferences.Language);
        Assert.False(preferences.MarketingEmails);
        Assert.Equal(1, preferences.Version);
        Assert.Equal(Created, preferences.UpdatedAt);
    }

    [Theory]
    [InlineData("", "ada@example.com")]
    [InlineData("  ", "ada@example.com")]
    [InlineData("Ada", "")]
    [InlineData("Ada", "   ")]
    public void Create_refuses_a_blank_name_or_email(string name, string email) =>
        Assert.Throws<DomainException>(() => User.Create(name, email, Plan.Free, Created));

    [Fact]
    public void Create_refuses_over_long_names_and_emails()
    {
        Assert.Throws<DomainException>(() => User.Create(new string('n', User.MaxNameLength + 1), "ada@example.com", Plan.Free, Created));
        Assert.Throws<DomainException>(() => User.Create("Ada", new string('e', User.MaxEmailLength + 1), Plan.Free, Created));
        Assert.Equal(User.MaxNameLength, User.Create(new string('n', User.MaxNameLength), "ada@example.com", Plan.Free, Created).Name.Length);
    }

    [Theory]
    [InlineData(Plan.Free)]
    [InlineData(Plan.Pro)]
    [InlineData(Plan.Enterprise)]
    public void ChangePlan_sets_plan_and_time_and_bumps_the_version(Plan plan)
    {
        var user = User.Create("Ada", "ada@example.com", Plan.Free, Created);
        var later = Created.AddDays(1);

        user.ChangePlan(plan, later);

        Assert.Equal(plan, user.Plan);
        Assert.Equal(later, user.UpdatedAt);
        Assert.Equal(Created, user.CreatedAt);
        Assert.Equal(2, user.Version);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void ChangePlan_to_an_undefined_plan_throws_and_changes_nothing(int value)
    {
        var user = User.Create("Ada", "ada@example.com", Plan.Pro, Created);

        Assert.Throws<DomainException>(() => user.ChangePlan((Plan)value, Created.AddDays(1)));

        Assert.Equal(Plan.Pro, user.Plan);
        Assert.Equal(1, user.Version);
        Assert.Equal(Created, user.UpdatedAt);
    }

    [Fact]
    public void Preferences_update_sets_every_field_and_bumps_the_version()
    {
        var preferences = UserPreferences.Default(Created);
        var later = Created.AddMinutes(5);

        preferences.Update("GBP", "en-GB", marketingEmails: true, later);

        Assert.Equal("GBP", preferences.Currency);
        Assert.Equal("en-GB", preferences.Language);
        Assert.True(preferences.MarketingEmails);
        Assert.Equal(later, preferences.UpdatedAt);
        Assert.Equal(2, preferences.Version);
    }
}
