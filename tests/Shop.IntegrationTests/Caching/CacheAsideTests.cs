using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Caching;

/// <summary>Cache-aside through HTTP: MISS → L1 → L2, the Redis key and its jittered TTL, negative caching.</summary>
public sealed class CacheAsideTests(ShopApp app) : IClassFixture<ShopApp>
{
    private L1Cache L1 => app.Api.Services.GetRequiredService<L1Cache>();

    [Fact]
    public async Task First_read_misses_second_hits_L1_and_after_L1_is_cleared_L2()
    {
        var client = app.Anonymous();
        var miss = await client.GetOk("/api/products/101");
        var l1 = await client.GetOk("/api/products/101");
        L1.Clear();
        var l2 = await client.GetOk("/api/products/101");

        Assert.Equal(["MISS", "L1", "L2"], new[] { miss.CacheHeader(), l1.CacheHeader(), l2.CacheHeader() });
        var body = await miss.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(body, await l1.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(body, await l2.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Redis_key_exists_with_the_product_ttl_within_its_jitter()
    {
        await app.Anonymous().GetOk("/api/products/102");
        var key = $"{app.KeyPrefix}:v1:{{product:102}}";
        var ttl = await WaitForTtlAsync(key);
        // The logical (soft) TTL, in the envelope header: default product TTL 10 min ± 10 % jitter.
        var raw = (byte[])(await app.Redis.StringGetAsync(key))!;
        var header = System.Text.Encoding.ASCII.GetString(raw, 0, CacheEnvelope.HeaderLength);
        var softTtl = TimeSpan.FromMilliseconds(long.Parse(header[34..47], System.Globalization.CultureInfo.InvariantCulture)
            - long.Parse(header[21..34], System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(softTtl.TotalSeconds, 540, 660);
        // Redis keeps it one more hour (Cache:FailSafeMaxStaleness) for fail-safe reads: PX is the hard TTL.
        Assert.InRange(ttl.TotalSeconds, 3600 + 540 - 5, 3600 + 660);
        Assert.InRange((ttl - softTtl).TotalSeconds, 3600 - 5, 3600);
    }

    [Fact]
    public async Task A_hit_does_not_query_PostgreSQL()
    {
        var client = app.Anonymous();
        await client.GetOk("/api/products/103");
        var before = app.Api.Sql.Count;
        for (var i = 0; i < 20; i++) await client.GetOk("/api/products/103");
        L1.Clear();
        await client.GetOk("/api/products/103");
        Assert.Equal(before, app.Api.Sql.Count);
    }

    [Fact]
    public async Task Hundred_reads_of_a_missing_id_load_once_and_all_get_404()
    {
        var client = app.Anonymous();
        var before = app.Api.Sql.Count;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++) statuses.Add((await client.Get("/api/products/987654")).StatusCode);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.Equal(1, app.Api.Sql.Count - before);
        var ttl = await WaitForTtlAsync($"{app.KeyPrefix}:v1:{{product:987654}}");
        Assert.InRange(ttl.TotalSeconds, 54 - 5, 66); // negative TTL 60 s ± 10 %
    }

    [Fact]
    public async Task Every_cached_route_reports_its_outcome()
    {
        var customer = app.AsUser(9);
        foreach (var url in new[] { "/api/products/104/pricing", "/api/categories/4/products?page=2&pageSize=10", "/api/users/9", "/api/users/9/preferences" })
        {
            var client = url.StartsWith("/api/users", StringComparison.Ordinal) ? customer : app.Anonymous();
            Assert.Equal("MISS", (await client.GetOk(url)).CacheHeader());
            Assert.Equal("L1", (await client.GetOk(url)).CacheHeader());
        }
    }

    private async Task<TimeSpan> WaitForTtlAsync(string key)
    {
        // The L2 write is fire-and-forget (off the response's critical path), so give it a moment to land.
        for (var i = 0; i < 100; i++)
        {
            var ttl = await app.Redis.KeyTimeToLiveAsync(key);
            if (ttl is { } t) return t;
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.Fail($"{key} was not written to Redis");
        return default;
    }
}
