using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Observability;

/// <summary>
/// The live event view in a real browser: Debian's chromium, driven by chromium-driver through Selenium, opens /cache
/// on a real Kestrel instance (in Development the page fetches its own admin token), filters on one product, and
/// must show that product's miss → L1 hit → invalidation → miss as a test sends them over HTTP.
/// scripts/test.sh installs chromium and chromium-driver before the tests; without them this test is skipped.
/// </summary>
public sealed class CacheEventViewBrowserTests(ShopApp app) : IClassFixture<ShopApp>
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";
    private const int ProductId = 42;

    [Fact]
    public async Task Cache_page_shows_miss_then_L1_hit_then_invalidation_then_miss_for_the_filtered_product()
    {
        Assert.SkipUnless(File.Exists(Chromium) && File.Exists(ChromeDriver),
            "needs Debian's chromium and chromium-driver (scripts/test.sh installs them)");
        var port = FreePort.Next();
        await using var instance = new ShopApiFactory(app.Postgres, app.Services.Redis, app.KeyPrefix,
            settings: new Dictionary<string, string?> { ["urls"] = $"http://127.0.0.1:{port}" });
        instance.UseKestrel();
        instance.StartServer();
        var bus = instance.Services.GetRequiredService<InvalidationSubscriber>();
        for (var i = 0; i < 500 && !bus.Subscribed; i++) await Task.Delay(10, TestContext.Current.CancellationToken);
        var baseUrl = $"http://127.0.0.1:{port}";
        await app.Redis.KeyDeleteAsync($"{app.KeyPrefix}:v1:{{product:{ProductId}}}"); // cold for this instance and Redis

        using var driver = StartChromium();
        driver.Navigate().GoToUrl($"{baseUrl}/cache?key=product:{ProductId}");
        // The filter box took the key from the URL; wait until the page has polled the events once (its note changes).
        WaitFor(driver, () => Script<string>(driver, "return document.getElementById('event-note').textContent").StartsWith("instance ", StringComparison.Ordinal),
            "the page's first events poll");
        Assert.Equal($"product:{ProductId}", Script<string>(driver, "return document.getElementById('event-key').value"));

        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        using var admin = app.AsAdmin(instance);
        Assert.Equal("MISS", (await http.GetOk($"/api/products/{ProductId}")).CacheHeader());
        Assert.Equal("L1", (await http.GetOk($"/api/products/{ProductId}")).CacheHeader());
        await admin.Put($"/api/products/{ProductId}/price", new { price = 77.70m }).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("MISS", (await http.GetOk($"/api/products/{ProductId}")).CacheHeader());

        // Rows are newest first: read them oldest first, for this product's page key exactly.
        string[] expected = ["load", "miss", "l1_hit", "invalidation_sent", "load", "miss"];
        var key = $"{{product:{ProductId}}}";
        string[] Shown() => Script<IReadOnlyCollection<object>>(driver,
                "return [...document.querySelectorAll('#events tbody tr')].reverse().filter(r => r.dataset.key === arguments[0]).map(r => r.dataset.outcome)", key)
            .Select(o => (string)o).ToArray();
        WaitFor(driver, () => Shown().Length >= expected.Length, "the six events of the sequence on the page");
        Assert.Equal(expected, Shown());
        // Every row shown matches the filter, and the outcome is visible text, not only an attribute.
        Assert.True(Script<bool>(driver, "return [...document.querySelectorAll('#events tbody tr')].every(r => r.dataset.key.includes('product:' + arguments[0]))", ProductId));
        var visible = driver.FindElement(By.CssSelector("#events tbody")).Text;
        Assert.Contains("l1 hit", visible, StringComparison.Ordinal);
        Assert.Contains("invalidation sent", visible, StringComparison.Ordinal);
        Assert.Contains(key, visible, StringComparison.Ordinal);
    }

    private static ChromeDriver StartChromium()
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1400",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
    }

    private static T Script<T>(ChromeDriver driver, string script, params object[] args) =>
        (T)((IJavaScriptExecutor)driver).ExecuteScript(script, args)!;

    /// <summary>Polls the page (it polls the API every second) for up to 20 s; a busy 2-core machine can be slow.</summary>
    private static void WaitFor(ChromeDriver driver, Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"Timed out waiting for {what}. The page shows:\n{driver.FindElement(By.TagName("main")).Text}");
            Thread.Sleep(200);
        }
    }

}
