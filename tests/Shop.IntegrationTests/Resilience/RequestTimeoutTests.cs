using System.Diagnostics;
using System.Net;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Resilience;

/// <summary>The request as a whole is bounded (Api:RequestTimeout): a request stuck on PostgreSQL answers 504 ProblemDetails, not a hang.</summary>
public sealed class RequestTimeoutTests(ShopApp app) : IClassFixture<ShopApp>
{
    [Fact]
    public async Task A_request_stuck_past_the_request_timeout_answers_504_ProblemDetails()
    {
        var gate = new DatabaseGate("products");
        var instance = app.StartInstance(new Dictionary<string, string?> { ["Api:RequestTimeout"] = "00:00:00.300" }, gate);
        gate.ArmNextRead(); // the product SELECT stops until released: longer than the request may take
        try
        {
            var watch = Stopwatch.StartNew();
            var response = await app.Anonymous(instance).Get("/api/products/751");
            await response.ShouldBeProblem(HttpStatusCode.GatewayTimeout);
            Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
        }
        finally
        {
            gate.Release();
        }
    }
}
