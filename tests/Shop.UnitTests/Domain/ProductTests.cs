using Shop.Domain.Common;
using Shop.Domain.Products;

namespace Shop.UnitTests.Domain;

public sealed class ProductTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static Product NewProduct(decimal price = 10m) => Product.Create("SKU-1", "Kettle", "Boils water.", price, "EUR", 3, Created);

    [Fact]
    public void Create_sets_every_field_and_starts_at_version_1()
    {
        var product = NewProduct(19.99m);

        Assert.Equal("SKU-1", product.Sku);
        Assert.Equal("Kettle", product.Name);
        Assert.Equal("Boils water.", product.Description);
        Assert.Equal(19.99m, product.Price);
        Assert.Equal("EUR", product.Currency);
        Assert.Equal(3, product.CategoryId);
        Assert.Equal(Created, product.CreatedAt);
        Assert.Equal(Created, product.UpdatedAt);
        Assert.Equal(1, product.Version);
        Assert.Equal(0, product.Id); // assigned by the database
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1000000.01)]
    [InlineData(1.001)]
    public void Create_refuses_an_invalid_price(decimal price) =>
        Assert.Throws<DomainException>(() => NewProduct(price));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_refuses_a_blank_sku(string sku) =>
        Assert.Throws<DomainException>(() => Product.Create(sku, "Kettle", "", 1m, "EUR", 1, Created));

    [Fact]
    public void Create_refuses_a_sku_over_64_characters_and_accepts_64()
    {
        Assert.Throws<DomainException>(() => Product.Create(new string('S', 65), "Kettle", "", 1m, "EUR", 1, Created));
        Assert.Equal(64, Product.Create(new string('S', 64), "Kettle", "", 1m, "EUR", 1, Created).Sku.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Create_refuses_a_blank_name(string name) =>
        Assert.Throws<DomainException>(() => Product.Create("SKU-1", name, "", 1m, "EUR", 1, Created));

    [Fact]
    public void Create_refuses_a_name_over_200_characters_and_accepts_200()
    {
        Assert.Throws<DomainException>(() => Product.Create("SKU-1", new string('n', 201), "", 1m, "EUR", 1, Created));
        Assert.Equal(200, Product.Create("SKU-1", new string('n', 200), "", 1m, "EUR", 1, Created).Name.Length);
    }

    [Fact]
    public void ChangePrice_sets_price_and_time_and_bumps_the_version_each_time()
    {
        var product = NewProduct();
        var later = Created.AddHours(1);

        product.ChangePrice(12.50m, later);
        Assert.Equal(12.50m, product.Price);
        Assert.Equal(later, product.UpdatedAt);
        Assert.Equal(Created, product.CreatedAt);
        Assert.Equal(2, product.Version);

        product.ChangePrice(12.50m, later.AddHours(1)); // the same price is still a change: a new version
        Assert.Equal(3, product.Version);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1000000.01)]
    [InlineData(2.345)]
    public void ChangePrice_to_an_invalid_price_throws_and_changes_nothing(decimal price)
    {
        var product = NewProduct(10m);

        Assert.Throws<DomainException>(() => product.ChangePrice(price, Created.AddHours(1)));

        Assert.Equal(10m, product.Price);
        Assert.Equal(Created, product.UpdatedAt);
        Assert.Equal(1, product.Version);
    }
}
