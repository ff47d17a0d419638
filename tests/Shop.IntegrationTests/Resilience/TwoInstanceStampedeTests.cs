using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Resilience;

/// <summary>
/// The stampede claim on PRODUCTION DEFAULTS (lock TTL, lock wait, Redis timeout untouched): concurrent cold reads of
/// one key spread over two instances sharing Redis and PostgreSQL cost exactly one database load.
/// </summary>
public sealed class TwoInstanceStampedeTests(ShopApp app) : IClassFixture<ShopApp>
{
    [Fact]
    public async Task Concurrent_cold_reads_across_two_instances_load_once()
    {
        var a = app.Api;
        var b = app.StartInstance();
        // What one load of a product costs in SQL commands, measured on another cold key.
        a.Sql.Reset();
        await app.Anonymous(a).GetOk("/api/products/721");
        var perLoad = a.Sql.Count;
        Assert.True(perLoad >= 1);

        a.Sql.Reset();
        b.Sql.Reset();
        var clients = new[] { app.Anonymous(a), app.Anonymous(b) };
        var reads = Enumerable.Range(0, 40).Select(i => clients[i % 2].GetOk("/api/products/722")).ToArray();
        var responses = await Task.WhenAll(reads);

        // Every answer is 200 (GetOk). The headers do not count loads (joiners of an instance's one load share its MISS
        // outcome, late arrivals hit L1): the SQL commands do.
        Assert.Equal(40, responses.Length);
        Assert.Equal(perLoad, a.Sql.Count + b.Sql.Count);
    }
}
