using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Caching.FailSafe;

/// <summary>
/// Refresh-ahead measured: steady reads of one hot key over several TTL boundaries (2 s TTL, L1 off so every read
/// reaches Redis). Without refresh-ahead each boundary costs a reader a MISS; with it, none after the first load.
/// </summary>
public sealed class RefreshAheadTests(ShopApp app) : IClassFixture<ShopApp>
{
    private async Task<int> MissesAfterWarmUp(int productId, double ratio)
    {
        var instance = app.StartInstance(new Dictionary<string, string?>
        {
            ["Cache:Ttl:product"] = "00:00:02",
            ["Cache:Jitter"] = "0",
            ["Cache:L1Enabled"] = "false",
            ["Cache:RefreshAheadRatio"] = ratio.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var client = app.Anonymous(instance);
        Assert.Equal("MISS", (await client.GetOk($"/api/products/{productId}")).CacheHeader());
        var misses = 0;
        var until = DateTime.UtcNow.AddSeconds(5); // 2.5 TTLs
        while (DateTime.UtcNow < until)
        {
            if ((await client.GetOk($"/api/products/{productId}")).CacheHeader() == "MISS") misses++;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"refresh-ahead ratio {ratio}: {misses} MISS answers after the first load");
        return misses;
    }

    [Fact]
    public async Task A_hot_key_read_steadily_never_misses_with_refresh_ahead_and_misses_at_each_TTL_boundary_without()
    {
        Assert.True(await MissesAfterWarmUp(731, ratio: 0) >= 2, "without refresh-ahead every TTL boundary should cost a MISS");
        Assert.Equal(0, await MissesAfterWarmUp(732, ratio: 0.5));
    }
}
