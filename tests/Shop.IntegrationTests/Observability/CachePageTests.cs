using System.Net;
using System.Text.RegularExpressions;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Observability;

/// <summary>The /cache page: served without a token, self-contained (the machines it runs on are offline).</summary>
public sealed class CachePageTests(ShopApp app) : IClassFixture<ShopApp>
{
    [Fact]
    public async Task Cache_page_is_a_self_contained_html_page_that_polls_the_stats_endpoint()
    {
        using var response = await app.Anonymous().Get("/cache");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("/api/cache/stats", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        // No script, style sheet, image or font from elsewhere: every src/href is relative or a fragment.
        var external = Regex.Matches(html, """(src|href)\s*=\s*["'](https?:)?//""", RegexOptions.IgnoreCase);
        Assert.Empty(external);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
    }
}
