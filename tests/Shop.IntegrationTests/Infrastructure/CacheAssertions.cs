using System.Net;

namespace Shop.IntegrationTests.Infrastructure;

public static class CacheAssertions
{
    /// <summary>The X-Cache header (L1, L2, MISS), or null when the response went through no cached query.</summary>
    public static string? CacheHeader(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Cache", out var values) ? values.Single() : null;

    /// <summary>GET that must answer 200; returns the response so its headers can be checked.</summary>
    public static async Task<HttpResponseMessage> GetOk(this HttpClient client, string url)
    {
        var response = await client.Get(url);
        await response.ShouldBe(HttpStatusCode.OK);
        return response;
    }
}
