using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// Short HTTP calls (the test's cancellation token is passed for you) and assertions on the API's answers:
/// status, JSON body, and the RFC 7807 ProblemDetails contract of every error.
/// </summary>
public static class ApiAssert
{
    public const string ProblemContentType = "application/problem+json";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> Get(this HttpClient client, string url) => client.GetAsync(url, Ct);

    public static Task<HttpResponseMessage> Post(this HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body, Ct);

    public static Task<HttpResponseMessage> Put(this HttpClient client, string url, object body) => client.PutAsJsonAsync(url, body, Ct);

    /// <summary>Sends <paramref name="json"/> verbatim (for malformed or oversized bodies).</summary>
    public static async Task<HttpResponseMessage> SendRaw(this HttpClient client, HttpMethod method, string url, string json)
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await client.SendAsync(request, Ct);
    }

    /// <summary>Asserts the status (showing the body when it differs) and returns the parsed JSON body.</summary>
    public static async Task<JsonElement> ShouldBe(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected,
            $"Expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {text}");
        if (text.Length == 0) return default;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 answer: the status, the problem content type, and a body whose status matches.</summary>
    public static async Task<JsonElement> ShouldBeProblem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.ShouldBe(expected);
        Assert.Equal(ProblemContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.Equal((int)expected, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()), "A problem has a title.");
        return body;
    }

    /// <summary>Asserts a 400 ValidationProblemDetails whose <c>errors</c> names <paramref name="field"/>.</summary>
    public static async Task<JsonElement> ShouldBeValidationProblem(this HttpResponseMessage response, string field)
    {
        var body = await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.True(body.TryGetProperty("errors", out var errors), $"A validation problem lists its errors: {body}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"Expected an error for '{field}', got {errors}");
        Assert.True(messages.GetArrayLength() > 0);
        return body;
    }

    public static async Task<JsonElement> ShouldBe(this Task<HttpResponseMessage> response, HttpStatusCode expected)
    {
        using var r = await response;
        return await r.ShouldBe(expected);
    }

    public static async Task<JsonElement> ShouldBeProblem(this Task<HttpResponseMessage> response, HttpStatusCode expected)
    {
        using var r = await response;
        return await r.ShouldBeProblem(expected);
    }

    public static async Task<JsonElement> ShouldBeValidationProblem(this Task<HttpResponseMessage> response, string field)
    {
        using var r = await response;
        return await r.ShouldBeValidationProblem(field);
    }

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static int Number(this JsonElement element, string property) => element.GetProperty(property).GetInt32();

    public static decimal Amount(this JsonElement element, string property) => element.GetProperty(property).GetDecimal();
}
