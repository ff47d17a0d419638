using System.Net;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Caching;

/// <summary>Authorization runs before the cache: a cached entry is never served to a caller who may not see it.</summary>
public sealed class CacheAuthorizationTests(ShopApp app) : IClassFixture<ShopApp>
{
    [Fact]
    public async Task User_B_cannot_read_user_As_cached_profile()
    {
        Assert.Equal("MISS", (await app.AsUser(21).GetOk("/api/users/21")).CacheHeader());
        Assert.Equal("L1", (await app.AsUser(21).GetOk("/api/users/21")).CacheHeader());

        var other = await app.AsUser(22).Get("/api/users/21");
        var anonymous = await app.Anonymous().Get("/api/users/21");

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Null(other.CacheHeader());
        Assert.DoesNotContain("user21@", await other.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("L1", (await app.AsAdmin().GetOk("/api/users/21")).CacheHeader());
    }
}
