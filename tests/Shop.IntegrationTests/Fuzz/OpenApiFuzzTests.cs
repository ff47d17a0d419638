using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Fuzz;

/// <summary>
/// Drives every operation of the OpenAPI document with hostile input for a bounded time, from a fixed seed.
/// Fails on any 5xx, any 4xx that is not application/problem+json, any internal detail in a body, and any 2xx to
/// input the contract forbids. Reproduce a run with SHOP_FUZZ_SEED (printed) and lengthen it with SHOP_FUZZ_SECONDS.
/// </summary>
public sealed class OpenApiFuzzTests(ShopApp app) : IClassFixture<ShopApp>
{
    private const int DefaultSeed = 20261201;
    private const int DefaultSeconds = 30;
    private const int MaxBodyBytes = 64 * 1024; // Api:MaxRequestBodyBytes

    /// <summary>What an error body must never show: stack frames, exception and framework type names, drivers, SQL.</summary>
    private static readonly string[] Internals =
    [
        "Exception", "   at ", "System.", "Microsoft.", "Npgsql", "StackExchange", "Shop.Api", "Shop.Application", "Shop.Infrastructure",
        "Shop.Domain", "SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "SqlState", "23505: ", "RedisConnection",
    ];

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    [Fact]
    public async Task Every_operation_answers_hostile_input_with_a_problem_and_never_a_5xx()
    {
        var seed = Setting("SHOP_FUZZ_SEED", DefaultSeed);
        var budget = TimeSpan.FromSeconds(Setting("SHOP_FUZZ_SECONDS", DefaultSeconds));
        var ct = TestContext.Current.CancellationToken;
        var client = app.Anonymous();

        var document = await client.Get("/swagger/v1/swagger.json").ShouldBe(System.Net.HttpStatusCode.OK);
        var operations = OpenApiOperation.Parse(document);
        Assert.True(operations.Count >= 13, $"only {operations.Count} operations in the OpenAPI document");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"fuzz: seed {seed} (SHOP_FUZZ_SEED), {budget.TotalSeconds} s (SHOP_FUZZ_SECONDS), {operations.Count} operations: {string.Join(", ", operations)}");

        var random = new Random(seed);
        var inputs = new HostileInputs(random, MaxBodyBytes);
        var violations = new List<string>();
        var perOperation = operations.ToDictionary(o => o.ToString(), _ => 0);
        var statuses = new SortedDictionary<int, int>();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        // Round robin, so every operation gets its share whatever the budget; the sequence depends on the seed only.
        while (clock.Elapsed < budget || sent < operations.Count * 5)
        {
            var operation = operations[sent % operations.Count];
            var fuzz = inputs.Next(operation);
            sent++;
            perOperation[operation.ToString()]++;
            var (status, problem) = await SendAsync(client, fuzz, ct);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (problem is not null) violations.Add($"{problem}: {fuzz}");
            if (violations.Count >= 50) break;
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"fuzz: {sent} requests in {clock.Elapsed.TotalSeconds:F1} s; statuses {string.Join(", ", statuses.Select(s => $"{s.Key}x{s.Value}"))}; per operation {string.Join(", ", perOperation.Select(p => $"{p.Key}={p.Value}"))}");
        Assert.True(violations.Count == 0,
            $"fuzz seed {seed}: {violations.Count} violation(s) in {sent} requests (reproduce with SHOP_FUZZ_SEED={seed}):\n" + string.Join("\n", violations.Distinct().Take(30)));
    }

    /// <summary>Sends one case and returns its status and what is wrong with the answer (null when nothing).</summary>
    private static async Task<(int Status, string? Problem)> SendAsync(HttpClient client, FuzzCase fuzz, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), fuzz.Url);
        if (fuzz.Token is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + fuzz.Token);
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            if (!string.IsNullOrEmpty(fuzz.ContentType)) request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
        }
        using var response = await client.SendAsync(request, ct);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(ct);

        if (status >= 500) return (status, $"{status} {Shorten(text)}");
        // The traceId is random hex: it may spell an SQLSTATE such as 23505 by chance.
        var scanned = System.Text.RegularExpressions.Regex.Replace(text, "\"traceId\":\"[^\"]*\"", "");
        if (Internals.FirstOrDefault(secret => scanned.Contains(secret, StringComparison.Ordinal)) is { } leaked)
            return (status, $"{status} shows '{leaked}': {Shorten(text)}");
        if (status is >= 200 and < 300 && fuzz.MustReject) return (status, $"{status} to forbidden input");
        if (status is >= 400 and < 500)
        {
            if (response.Content.Headers.ContentType?.MediaType != ApiAssert.ProblemContentType)
                return (status, $"{status} with content type '{response.Content.Headers.ContentType}', not a ProblemDetails");
            try
            {
                using var body = JsonDocument.Parse(text);
                if (!body.RootElement.TryGetProperty("status", out var s) || s.GetInt32() != status || !body.RootElement.TryGetProperty("title", out _))
                    return (status, $"{status} ProblemDetails without a matching status and a title: {Shorten(text)}");
            }
            catch (JsonException)
            {
                return (status, $"{status} ProblemDetails that is not JSON: {Shorten(text)}");
            }
        }
        return (status, null);
    }

    private static string Shorten(string text) => text.Length > 600 ? text[..600] + "..." : text;
}
