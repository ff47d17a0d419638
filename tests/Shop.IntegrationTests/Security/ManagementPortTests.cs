using System.Net;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Security;

/// <summary>
/// With Management:Port set, /metrics answers only on connections to that port (checked on the socket, not the Host
/// header a client chooses); on the API port it does not exist. A real Kestrel on two loopback ports.
/// </summary>
public sealed class ManagementPortTests(ShopApp app) : IClassFixture<ShopApp>
{

    [Fact]
    public async Task Metrics_answer_on_the_management_port_only()
    {
        int api = FreePort.Next(), management = FreePort.Next();
        await using var instance = new ShopApiFactory(app.Postgres, app.Services.Redis, app.KeyPrefix, settings: new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{api};http://127.0.0.1:{management}",
            ["Management:Port"] = management.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        instance.UseKestrel();
        instance.StartServer();
        using var http = new HttpClient();
        var ct = TestContext.Current.CancellationToken;

        using var scraped = await http.GetAsync($"http://127.0.0.1:{management}/metrics", ct);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("shop_", await scraped.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        await http.GetAsync($"http://127.0.0.1:{api}/metrics", ct).ShouldBeProblem(HttpStatusCode.NotFound);
        // A spoofed Host header does not reach it either.
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{api}/metrics");
        spoofed.Headers.Host = $"127.0.0.1:{management}";
        await http.SendAsync(spoofed, ct).ShouldBeProblem(HttpStatusCode.NotFound);
        // The API itself still answers on its port.
        await http.GetAsync($"http://127.0.0.1:{api}/api/products/1", ct).ShouldBe(HttpStatusCode.OK);
    }
}
