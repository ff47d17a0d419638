using System.Globalization;
using Shop.Domain.Common;
using Shop.Domain.Products;

namespace Shop.UnitTests.Domain;

public sealed class MoneyTests
{
    private static decimal D(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("0.01")]
    [InlineData("1")]
    [InlineData("1.1")]
    [InlineData("1.10")]
    [InlineData("1.0000")] // scale 4, but the value has no third decimal
    [InlineData("999999.99")]
    [InlineData("1000000")]
    [InlineData("1000000.00")]
    public void Valid_prices(string price) => Assert.True(Money.IsValidPrice(D(price)));

    [Theory]
    [InlineData("0")]
    [InlineData("0.00")]
    [InlineData("-0.01")]
    [InlineData("-1")]
    [InlineData("0.001")]
    [InlineData("0.009")]
    [InlineData("1.001")]
    [InlineData("1.005")]
    [InlineData("1000000.01")]
    [InlineData("1000001")]
    [InlineData("79228162514264337593543950335")] // decimal.MaxValue
    [InlineData("-79228162514264337593543950335")] // decimal.MinValue
    public void Invalid_prices(string price) => Assert.False(Money.IsValidPrice(D(price)));

    [Fact]
    public void Max_price_is_one_million() => Assert.Equal(1_000_000m, Money.MaxPrice);

    [Fact]
    public void EnsureValidPrice_returns_a_valid_price_unchanged() => Assert.Equal(12.34m, Money.EnsureValidPrice(12.34m));

    [Fact]
    public void EnsureValidPrice_throws_a_DomainException_naming_the_price()
    {
        var ex = Assert.Throws<DomainException>(() => Money.EnsureValidPrice(1.001m));
        Assert.Contains("1.001", ex.Message, StringComparison.Ordinal);
    }
}
