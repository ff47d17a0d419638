using System.Net;
using Shop.Application.Categories.ListCategoryProducts;
using Shop.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace Shop.IntegrationTests.Categories;

/// <summary>No page-view flush during a test, so the Redis commands a write sends can be counted exactly.</summary>
public sealed class ListingApp(ShopServices services) : ShopApp(services)
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["PageViews:FlushInterval"] = "01:00:00",
    };

    public async Task<List<string>> ListingKeysAsync(int categoryId)
    {
        var keys = new List<string>();
        foreach (var endpoint in Services.RedisConnection.GetEndPoints())
        {
            var server = Services.RedisConnection.GetServer(endpoint);
            if (server.IsReplica || !server.IsConnected) continue;
            await foreach (var key in server.KeysAsync(pattern: $"{KeyPrefix}:v1:{{category:{categoryId}}}:v*:products:*", pageSize: 1000))
            {
                if (!key.ToString().EndsWith(":lock", StringComparison.Ordinal)) keys.Add(key.ToString());
            }
        }
        return keys;
    }
}

/// <summary>
/// Category listings are cached under a per-category version (<c>{category:3}:v17:products:p1:s20</c>): a product
/// change moves the version on with one command whatever was cached, and every instance then reads fresh pages.
/// Seed: category c holds products c, c + 50, c + 100, … (40 per category).
/// </summary>
public sealed class CategoryListingVersionTests(ListingApp app) : IClassFixture<ListingApp>
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private async Task<int> WarmAsync(int categoryId, int pages)
    {
        var client = app.Anonymous();
        var urls = ListCategoryProductsQuery.PageSizes.SelectMany(size => Enumerable.Range(1, pages).Select(page => (page, size))).ToList();
        foreach (var (page, size) in urls) await client.Get($"/api/categories/{categoryId}/products?page={page}&pageSize={size}").ShouldBe(HttpStatusCode.OK);
        for (var i = 0; i < 100 && (await app.ListingKeysAsync(categoryId)).Count < urls.Count; i++) await Task.Delay(50, Ct);
        Assert.Equal(urls.Count, (await app.ListingKeysAsync(categoryId)).Count);
        return urls.Count;
    }

    private async Task<IReadOnlyList<string>> ChangePriceLoggedAsync(int productId, decimal price)
    {
        var log = new RedisCommandLog(app.Api);
        log.Start();
        await app.AsAdmin().Put($"/api/products/{productId}/price", new { price }).ShouldBe(HttpStatusCode.OK);
        return log.Stop();
    }

    [Fact]
    public async Task Invalidating_a_category_costs_the_same_few_commands_with_one_or_a_hundred_cached_pages()
    {
        await WarmAsync(7, pages: 1); // 4 pages cached
        var few = await ChangePriceLoggedAsync(7, 17.25m);
        var cached = await WarmAsync(8, pages: 30); // 120 pages cached (most past the end, so empty)
        var many = await ChangePriceLoggedAsync(8, 18.25m);

        Assert.Equal(120, cached);
        Assert.Equal(few.Order(), many.Order()); // the same commands (UNLINK, EVAL, PUBLISH), whatever was cached
        Assert.DoesNotContain("SMEMBERS", many);
        Assert.Equal(1, many.Count(c => c is "EVAL" or "EVALSHA")); // move-version.lua on {category:8}:ver
        Assert.Equal(1, many.Count(c => c is "DEL" or "UNLINK")); // {product:8} and its pricing (one slot)
        Assert.Equal(1, many.Count(c => c == "PUBLISH"));

        // The old pages are not deleted: they are unreachable and expire with their TTL.
        var version = (long)await app.Redis.StringGetAsync($"{app.KeyPrefix}:v1:{{category:8}}:ver");
        Assert.True(version > 0);
        var old = await app.ListingKeysAsync(8);
        Assert.Equal(120, old.Count);
        Assert.DoesNotContain(old, k => k.Contains($":v{version}:", StringComparison.Ordinal));
        Assert.All(old, k => Assert.True(app.Redis.KeyTimeToLive(k) > TimeSpan.Zero, k));
    }

    [Fact]
    public async Task After_a_price_change_every_page_of_the_category_is_fresh_on_both_instances()
    {
        var other = app.StartInstance();
        var clients = new[] { app.Anonymous(), app.Anonymous(other) };
        string[] urls = [.. ListCategoryProductsQuery.PageSizes.Select(size => $"/api/categories/9/products?page=1&pageSize={size}")];
        foreach (var client in clients)
        {
            foreach (var url in urls)
            {
                await client.GetOk(url);
                Assert.Equal("L1", (await client.GetOk(url)).CacheHeader()); // warm on both instances
            }
        }

        await app.AsAdmin().Put("/api/products/9/price", new { price = 909.09m }).ShouldBe(HttpStatusCode.OK);

        foreach (var client in clients)
        {
            foreach (var url in urls)
            {
                // The other instance learns the new version through the pub/sub message (it drops the counter from L1).
                var price = 0m;
                for (var i = 0; i < 50 && price != 909.09m; i++)
                {
                    price = (await client.Get(url).ShouldBe(HttpStatusCode.OK)).GetProperty("items")[0].Amount("price");
                    if (price != 909.09m) await Task.Delay(20, Ct);
                }
                Assert.Equal(909.09m, price);
            }
        }
    }

    [Fact]
    public async Task A_listing_hit_with_the_version_in_L1_is_one_Redis_GET()
    {
        var client = app.Anonymous();
        await client.GetOk("/api/categories/10/products?page=1&pageSize=20");
        for (var i = 0; i < 100 && (await app.ListingKeysAsync(10)).Count == 0; i++) await Task.Delay(50, Ct);
        // Drop only the page from L1: the version stays there.
        var l1 = (Shop.Infrastructure.Caching.L1Cache)app.Api.Services.GetService(typeof(Shop.Infrastructure.Caching.L1Cache))!;
        l1.Remove((await app.ListingKeysAsync(10)).Single()[(app.KeyPrefix + ":v1:").Length..]);

        var log = new RedisCommandLog(app.Api);
        log.Start();
        var response = await client.GetOk("/api/categories/10/products?page=1&pageSize=20");
        var commands = log.Stop();
        Assert.Equal("L2", response.CacheHeader());
        Assert.Equal(["GET"], commands);
    }

    [Fact]
    public async Task Anonymous_paging_creates_at_most_MaxPage_times_four_keys_per_category_version()
    {
        var client = app.Anonymous();
        await client.Get("/api/categories/11/products?page=1001&pageSize=10").ShouldBeValidationProblem("page");
        await client.Get("/api/categories/11/products?page=1&pageSize=37").ShouldBeValidationProblem("pageSize");
        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (_, _) =>
        {
            var size = ListCategoryProductsQuery.PageSizes[Random.Shared.Next(4)];
            await client.Get($"/api/categories/11/products?page={Random.Shared.Next(1, 1001)}&pageSize={size}").ShouldBe(HttpStatusCode.OK);
        });
        await Task.Delay(300, Ct);
        var keys = await app.ListingKeysAsync(11);
        long bytes = 0;
        foreach (var key in keys) bytes += (long)await app.Redis.ExecuteAsync("MEMORY", "USAGE", (RedisKey)key);
        TestContext.Current.TestOutputHelper?.WriteLine($"400 random pages of category 11: {keys.Count} keys, {bytes} bytes");
        Assert.InRange(keys.Count, 1, Math.Min(400, ListCategoryProductsQuery.MaxPage * ListCategoryProductsQuery.PageSizes.Count));
        Assert.InRange(bytes / keys.Count, 1, 1_000); // past the end a page is an empty list: ~200 bytes
    }
}
