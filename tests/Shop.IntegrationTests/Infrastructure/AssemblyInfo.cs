using Shop.IntegrationTests.Infrastructure;

[assembly: AssemblyFixture(typeof(ShopServices))]
