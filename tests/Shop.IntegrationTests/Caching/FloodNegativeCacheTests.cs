using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.Caching;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Caching;

/// <summary>A small absent budget and L1, so a flood of a few seconds shows both bounds.</summary>
public sealed class FloodApp(ShopServices services) : ShopApp(services)
{
    public const double Budget = 20;
    public const int L1Limit = 2_000;

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Cache:NegativeRedisWritesPerSecond"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Cache:L1SizeLimit"] = L1Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>This app's Redis keys (SCAN by prefix) with their <c>MEMORY USAGE</c> summed.</summary>
    public async Task<(int Keys, long Bytes)> FootprintAsync(string? pattern = null)
    {
        var (keys, bytes) = (0, 0L);
        foreach (var endpoint in Services.RedisConnection.GetEndPoints())
        {
            var server = Services.RedisConnection.GetServer(endpoint);
            if (server.IsReplica || !server.IsConnected) continue;
            await foreach (var key in server.KeysAsync(pattern: pattern ?? KeyPrefix + ":*", pageSize: 1000))
            {
                keys++;
                var usage = await Redis.ExecuteAsync("MEMORY", "USAGE", key);
                bytes += usage.IsNull ? 0 : (long)usage;
            }
        }
        return (keys, bytes);
    }
}

/// <summary>
/// Negative caching under a flood of random missing ids (issue 14): what anonymous traffic can add to Redis is the
/// <see cref="NegativeCacheBudget"/>, not one key per id, and a repeated missing id still skips PostgreSQL.
/// </summary>
public sealed class FloodNegativeCacheTests(FloodApp app, ITestOutputHelper output) : IClassFixture<FloodApp>
{
    private static int[] RandomMissingIds(int count)
    {
        var ids = new HashSet<int>();
        while (ids.Count < count) ids.Add(Random.Shared.Next(50_000_000, int.MaxValue)); // the seed has a few thousand products
        return [.. ids];
    }

    private static async Task FloodAsync(HttpClient client, int batches, int singles)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, batches + singles), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            if (i < batches)
            {
                var body = await client.Get($"/api/products?ids={string.Join(',', RandomMissingIds(100))}").ShouldBe(HttpStatusCode.OK);
                Assert.Equal(0, body.GetArrayLength());
            }
            else
            {
                await client.Get($"/api/products/{RandomMissingIds(1)[0]}").ShouldBeProblem(HttpStatusCode.NotFound);
            }
        });
    }

    [Fact]
    public async Task A_flood_of_random_missing_ids_adds_at_most_the_budget_to_Redis_and_L1_stays_within_its_limit()
    {
        var instance = app.StartInstance(); // its own fresh budget
        var before = await app.FootprintAsync();
        var memoryBefore = await UsedMemoryAsync();

        var started = Stopwatch.GetTimestamp();
        await FloodAsync(app.Anonymous(instance), batches: 150, singles: 300); // 15,300 distinct missing ids
        var elapsed = Stopwatch.GetElapsedTime(started);
        await Task.Delay(500, TestContext.Current.CancellationToken); // fills are fire-and-forget

        var after = await app.FootprintAsync();
        var memoryAfter = await UsedMemoryAsync();
        var bound = (int)Math.Ceiling(FloodApp.Budget + (FloodApp.Budget * (elapsed.TotalSeconds + 0.5)));
        output.WriteLine($"flood: 15,300 missing ids in {elapsed.TotalSeconds:F1} s; Redis keys {before.Keys} -> {after.Keys} " +
                         $"(bound {bound}), MEMORY USAGE {before.Bytes} -> {after.Bytes} B, used_memory {memoryBefore} -> {memoryAfter} B, " +
                         $"L1 {instance.Services.GetRequiredService<L1Cache>().Count} entries");

        Assert.InRange(after.Keys - before.Keys, 1, bound); // some absents did reach Redis (the budget), no more
        Assert.InRange(after.Bytes - before.Bytes, 0, bound * 200L); // an absent entry is ~70-100 bytes
        Assert.InRange(instance.Services.GetRequiredService<L1Cache>().Count, 0, FloodApp.L1Limit);
    }

    [Fact]
    public async Task Without_the_budget_the_same_flood_writes_one_Redis_key_per_missing_id()
    {
        // The behaviour the budget replaces, to show the flood test can fail: every absent goes to Redis.
        var unbounded = app.StartInstance(new Dictionary<string, string?> { ["Cache:NegativeRedisWritesPerSecond"] = "1000000000" });
        var before = await app.FootprintAsync();
        await FloodAsync(app.Anonymous(unbounded), batches: 20, singles: 0);
        var after = await WaitForKeysAsync(before.Keys + 1_900);
        output.WriteLine($"unbounded: 2,000 missing ids -> Redis keys {before.Keys} -> {after.Keys}, MEMORY USAGE {before.Bytes} -> {after.Bytes} B");
        // About one key per id (a few of the keys counted before may expire meanwhile): far above the budgeted bound of 150.
        Assert.True(after.Keys - before.Keys >= 1_900, $"{after.Keys - before.Keys} keys");
    }

    [Fact]
    public async Task Past_the_budget_a_repeated_missing_id_still_skips_PostgreSQL()
    {
        var spent = app.StartInstance(new Dictionary<string, string?> { ["Cache:NegativeRedisWritesPerSecond"] = "0" });
        var client = app.Anonymous(spent);
        var id = RandomMissingIds(1)[0];
        var batch = RandomMissingIds(50);

        var sql = spent.Sql.Count;
        await client.Get($"/api/products/{id}").ShouldBeProblem(HttpStatusCode.NotFound);
        await client.Get($"/api/products?ids={string.Join(',', batch)}").ShouldBe(HttpStatusCode.OK);
        var loads = spent.Sql.Count - sql;
        Assert.True(loads > 0);

        var again = await client.Get($"/api/products/{id}");
        await again.ShouldBeProblem(HttpStatusCode.NotFound);
        var batchAgain = await client.Get($"/api/products?ids={string.Join(',', batch)}");
        Assert.Equal(0, (await batchAgain.ShouldBe(HttpStatusCode.OK)).GetArrayLength());
        Assert.Equal("L1", batchAgain.CacheHeader());
        Assert.Equal(loads, spent.Sql.Count - sql); // both answered from L1

        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(await app.Redis.KeyExistsAsync($"{app.KeyPrefix}:v1:{{product:{id}}}"));
        Assert.False(await app.Redis.KeyExistsAsync($"{app.KeyPrefix}:v1:{{product:{id}}}:lock")); // lease released
        Assert.False(await app.Redis.KeyExistsAsync($"{app.KeyPrefix}:v1:{{product:{batch[0]}}}:lock"));
    }

    private async Task<(int Keys, long Bytes)> WaitForKeysAsync(int atLeast)
    {
        var footprint = await app.FootprintAsync();
        for (var i = 0; i < 50 && footprint.Keys < atLeast; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            footprint = await app.FootprintAsync();
        }
        return footprint;
    }

    private async Task<long> UsedMemoryAsync()
    {
        var info = await app.Services.RedisConnection.GetServer(app.Services.RedisConnection.GetEndPoints()[0]).InfoAsync("memory");
        return long.Parse(info.SelectMany(g => g).First(kv => kv.Key == "used_memory").Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
