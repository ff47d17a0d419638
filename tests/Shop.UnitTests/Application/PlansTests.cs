using Shop.Application.Common;
using Shop.Domain.Users;

namespace Shop.UnitTests.Application;

public sealed class PlansTests
{
    [Fact]
    public void Names_are_the_lower_case_enum_names_in_order() => Assert.Equal(["free", "pro", "enterprise"], Plans.Names);

    [Theory]
    [InlineData("free", Plan.Free)]
    [InlineData("pro", Plan.Pro)]
    [InlineData("enterprise", Plan.Enterprise)]
    public void Lower_case_names_parse(string name, Plan expected)
    {
        Assert.True(Plans.TryParse(name, out var plan));
        Assert.Equal(expected, plan);
        Assert.Equal(expected, Plans.Parse(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Pro")]
    [InlineData("PRO")]
    [InlineData(" pro")]
    [InlineData("pro ")]
    [InlineData("gold")]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("free,pro")]
    public void Anything_else_does_not_parse(string? name)
    {
        Assert.False(Plans.TryParse(name, out var plan));
        Assert.Equal(default, plan);
    }

    [Fact]
    public void Parse_of_an_unknown_name_throws_ArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => Plans.Parse("gold"));
        Assert.Contains("gold", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToName_round_trips_every_plan()
    {
        foreach (var plan in Enum.GetValues<Plan>())
        {
            Assert.Equal(plan, Plans.Parse(Plans.ToName(plan)));
        }
    }
}
