using System.Diagnostics;
using System.Net;
using Npgsql;
using Shop.Infrastructure.PageViews;
using Shop.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace Shop.IntegrationTests.PageViews;

/// <summary>
/// The write-behind backlog stays bounded through a PostgreSQL outage: one batch in flight per shard however many
/// flushes fail, attempts back off (threshold signals do not bypass it), every acknowledged view reaches PostgreSQL
/// exactly once after recovery, and a batch older than the dedup retention is parked, never applied.
/// </summary>
public sealed class PageViewBacklogTests(PageViewApp app, ITestOutputHelper output) : IClassFixture<PageViewApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> InFlightKeysAsync(int productId)
    {
        var count = 0;
        foreach (var endpoint in app.Services.RedisConnection.GetEndPoints()) // every primary: on a cluster the shard is on one of them
        {
            var server = app.Services.RedisConnection.GetServer(endpoint);
            if (server.IsReplica || !server.IsConnected) continue;
            await foreach (var _ in server.KeysAsync(pattern: app.Shard(productId) + ":inflight:*", pageSize: 1000)) count++;
        }
        return count;
    }

    [Fact]
    public async Task Through_a_PostgreSQL_outage_each_shard_keeps_one_batch_attempts_back_off_and_recovery_counts_every_view_once()
    {
        int[] products = [.. Enumerable.Range(401, 16)]; // one per shard
        await PageViewApp.Flusher(app.Api).FlushAsync(Ct);
        var pg = new NpgsqlConnectionStringBuilder(app.Postgres);
        await using var proxy = new RedisProxy($"127.0.0.1:{pg.Port}"); // a plain TCP proxy, here in front of PostgreSQL
        proxy.Start();
        var interval = TimeSpan.FromMilliseconds(100);
        var maxDelay = TimeSpan.FromMilliseconds(400);
        var b = await PageViewApp.ReadyAsync(app.StartInstance(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(app.Postgres) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 2 }.ConnectionString,
            ["PageViews:FlushInterval"] = interval.ToString(),
            ["PageViews:FlushRetryMaxDelay"] = maxDelay.ToString(),
            ["PageViews:FlushThreshold"] = "1", // every view rings the doorbell: it must not cut the backoff short
            ["PageViews:LeaseTtl"] = "00:00:02",
        }));
        var client = app.Anonymous(b);
        var acknowledged = products.ToDictionary(p => p, _ => 0L);
        async Task PostAsync(int product)
        {
            using var response = await client.PostAsync($"/api/products/{product}/views", null, Ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            acknowledged[product]++;
        }
        foreach (var p in products) await PostAsync(p); // caches each product's existence: B records without PostgreSQL
        await Eventually.TrueAsync(async () => (await Task.WhenAll(products.Select(app.FlushedAsync))).Sum() == products.Length, "B flushed the first views");

        var stats = PageViewApp.Stats(b);
        var failuresBefore = stats.FlushFailures;
        proxy.Stop(); // PostgreSQL unreachable for B from now on
        var outage = Stopwatch.StartNew();
        var maxInFlight = 0L;
        var maxBatchKeys = 0;
        while (outage.Elapsed < TimeSpan.FromSeconds(4)) // 40 flush intervals
        {
            foreach (var p in products) await PostAsync(p);
            foreach (var p in products)
            {
                maxInFlight = Math.Max(maxInFlight, await app.InFlightBatchesAsync(p));
                maxBatchKeys = Math.Max(maxBatchKeys, await InFlightKeysAsync(p));
            }
            await Task.Delay(50, Ct);
        }
        var failures = stats.FlushFailures - failuresBefore;
        output.WriteLine($"outage {outage.Elapsed.TotalSeconds:F1} s: {acknowledged.Values.Sum()} views acknowledged, {failures} failed flushes, " +
            $"max batches in flight per shard {maxInFlight}, max batch keys per shard {maxBatchKeys}, threshold signals {stats.ThresholdSignals}");

        Assert.True(failures >= 3, $"B kept trying ({failures} attempts)");
        // No backoff would be one attempt per 100 ms interval plus one per view's signal: hundreds. With it, about one per 400 ms.
        Assert.True(failures <= outage.Elapsed / maxDelay + 5, $"{failures} attempts in {outage.Elapsed}: no backoff");
        Assert.Equal(1, maxInFlight);   // the first failed flush moved a batch; none was added behind it
        Assert.Equal(1, maxBatchKeys);  // so record.lua reads one batch, whatever the outage length
        foreach (var p in products) Assert.True(await app.PendingAsync(p) > 0, "later views wait in :pending, one field per product");

        proxy.Start(); // PostgreSQL is back
        await Eventually.TrueAsync(async () =>
        {
            foreach (var p in products)
            {
                if (await app.FlushedAsync(p) != acknowledged[p] || await app.InFlightBatchesAsync(p) != 0) return false;
            }
            return true;
        }, "B's retries moved every acknowledged view to PostgreSQL", timeoutMs: 20_000);
        foreach (var p in products)
        {
            Assert.Equal(acknowledged[p], await app.FlushedAsync(p)); // exactly: none lost, none twice
            Assert.Equal(0, await app.InFlightBatchesAsync(p));
        }
        await b.DisposeAsync(); // its shutdown flush finds nothing: every view was already moved
        await PageViewApp.Flusher(app.Api).FlushAsync(Ct);
        Assert.Equal(acknowledged.Values.Sum(), (await Task.WhenAll(products.Select(app.FlushedAsync))).Sum());
    }

    [Fact]
    public async Task An_in_flight_batch_older_than_MaxBatchAge_is_parked_and_counted_never_applied_while_a_younger_one_is_applied()
    {
        var flusher = PageViewApp.Flusher(app.Api);
        var stats = PageViewApp.Stats(app.Api);
        await flusher.FlushAsync(Ct);
        const int Old = 433, Young = 434; // shards 1 and 2
        var oldId = Guid.CreateVersion7(DateTimeOffset.UtcNow - TimeSpan.FromDays(6.5)); // past the 6-day default
        var youngId = Guid.CreateVersion7(DateTimeOffset.UtcNow - TimeSpan.FromDays(1));
        // What a flusher that died long ago (or a week-long PostgreSQL outage) leaves in flight.
        foreach (var (product, id) in new[] { (Old, oldId), (Young, youngId) })
        {
            await app.Redis.HashSetAsync($"{app.Shard(product)}:inflight:{id}", product, 7);
            await app.Redis.SetAddAsync($"{app.Shard(product)}:inflight", id.ToString());
        }
        var refusedBefore = (stats.RefusedBatches, stats.RefusedViews);

        var report = await flusher.FlushAsync(Ct);

        output.WriteLine(report.ToString());
        Assert.Equal(0, await app.FlushedAsync(Old));        // refused: its id may have been pruned, so it could be a replay
        Assert.Equal(7, await app.FlushedAsync(Young));      // within the retention: applied as usual
        Assert.Equal((refusedBefore.RefusedBatches + 1, refusedBefore.RefusedViews + 7), (stats.RefusedBatches, stats.RefusedViews));
        Assert.Equal(0, await app.InFlightBatchesAsync(Old)); // the shard moves on
        Assert.True(await app.Redis.SetContainsAsync($"{app.Shard(Old)}:parked", oldId.ToString()));
        Assert.Equal(7, (long)await app.Redis.HashGetAsync($"{app.Shard(Old)}:parked:{oldId}", Old)); // kept for an operator
        Assert.Equal(TimeSpan.FromDays(6), new PageViewOptions().MaxBatchAge);
        Assert.True(new PageViewOptions().MaxBatchAge < new PageViewOptions().BatchRetention);
    }

    [Fact]
    public void A_batch_ids_creation_time_is_read_back_from_its_UUIDv7()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_123_456);
        Assert.Equal(at, PageViewFlusher.CreatedAt(Guid.CreateVersion7(at)));
        Assert.Equal(DateTimeOffset.MinValue, PageViewFlusher.CreatedAt(Guid.NewGuid())); // not v7: treated as ancient
    }
}
