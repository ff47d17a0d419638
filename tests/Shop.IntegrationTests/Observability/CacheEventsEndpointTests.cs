using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Observability;

/// <summary>
/// GET /api/cache/events: admin-only, incremental (after = the previous answer's last), filtered by key, and what it
/// reports is what happened: a miss, an L1 hit, an L2 hit after L1 is cleared, an invalidation. Keys and outcomes only.
/// Each test drives a fresh instance: the ring is per instance, so other tests' traffic is not in it.
/// </summary>
public sealed class CacheEventsEndpointTests(ShopApp app) : IClassFixture<ShopApp>
{
    [Fact]
    public async Task Events_show_miss_L1_hit_L2_hit_and_invalidation_of_one_key_in_order_with_load_duration()
    {
        var instance = app.StartInstance();
        var anonymous = app.Anonymous(instance);
        var admin = app.AsAdmin(instance);
        const int id = 1501;
        var last = (await admin.Get("/api/cache/events?limit=1").ShouldBe(HttpStatusCode.OK)).GetProperty("last").GetInt64();

        Assert.Equal("MISS", (await anonymous.GetOk($"/api/products/{id}")).CacheHeader());
        Assert.Equal("L1", (await anonymous.GetOk($"/api/products/{id}")).CacheHeader());
        var key = $"{app.KeyPrefix}:v1:{{product:{id}}}";
        for (var i = 0; i < 200 && !await app.Redis.KeyExistsAsync(key); i++) await Task.Delay(10, TestContext.Current.CancellationToken);
        instance.Services.GetRequiredService<L1Cache>().Clear();
        Assert.Equal("L2", (await anonymous.GetOk($"/api/products/{id}")).CacheHeader());
        await admin.Put($"/api/products/{id}/price", new { price = 15.01m }).ShouldBe(HttpStatusCode.OK);

        var page = await admin.Get($"/api/cache/events?after={last}&key=product:{id}").ShouldBe(HttpStatusCode.OK);
        var events = page.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("key").GetString() == $"{{product:{id}}}").ToArray();
        Assert.Equal(["db:load", "db:miss", "l1:l1_hit", "l2:l2_hit", "l2:invalidation_sent"],
            events.Select(e => $"{e.GetProperty("level").GetString()}:{e.GetProperty("outcome").GetString()}"));
        Assert.True(events[0].GetProperty("durationMs").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, events[1].GetProperty("durationMs").ValueKind);
        var seqs = events.Select(e => e.GetProperty("seq").GetInt64()).ToArray();
        Assert.Equal(seqs.Order(), seqs);
        Assert.All(seqs, s => Assert.True(s > last));
        // Every event of the answer matches the filter; nothing but keys, levels, outcomes, times and details.
        Assert.All(page.GetProperty("events").EnumerateArray(), e => Assert.Contains($"product:{id}", e.GetProperty("key").GetString(), StringComparison.Ordinal));
        Assert.Equal(["detail", "durationMs", "key", "level", "outcome", "seq", "time"],
            events[0].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        // Polling on from the answer's last: nothing new for this key.
        var next = await admin.Get($"/api/cache/events?after={page.GetProperty("last").GetInt64()}&key=product:{id}").ShouldBe(HttpStatusCode.OK);
        Assert.Empty(next.GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task Events_are_for_admins_only_and_bad_parameters_are_validation_problems()
    {
        await app.Anonymous().Get("/api/cache/events").ShouldBeProblem(HttpStatusCode.Unauthorized);
        await app.AsUser(2).Get("/api/cache/events").ShouldBeProblem(HttpStatusCode.Forbidden);
        await app.AsAdmin().Get("/api/cache/events?limit=0").ShouldBeValidationProblem("limit");
        await app.AsAdmin().Get("/api/cache/events?limit=513").ShouldBeValidationProblem("limit");
        await app.AsAdmin().Get("/api/cache/events?after=-1").ShouldBeValidationProblem("after");
        await app.AsAdmin().Get($"/api/cache/events?key={new string('k', 201)}").ShouldBeValidationProblem("key");
        await app.AsAdmin().Get("/api/cache/events?after=abc").ShouldBeProblem(HttpStatusCode.BadRequest);
    }
}
