using System.Diagnostics;
using System.Net;
using Shop.Infrastructure.PageViews;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.PageViews;

/// <summary>
/// The flusher: one transaction per flush, the three triggers (threshold, timer, shutdown), shard leases, crash
/// recovery at both dangerous points (after the Redis move, after the PostgreSQL commit), and reads that stay exact
/// while batches are in flight. Each test uses its own products.
/// </summary>
public sealed class PageViewFlushTests(PageViewApp app, ITestOutputHelper output) : IClassFixture<PageViewApp>
{
    private const string FlushStatement = "INSERT INTO applied_view_batches";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<long> PostViewAsync(HttpClient client, int productId)
    {
        using var response = await client.PostAsync($"/api/products/{productId}/views", null, Ct);
        return (await response.ShouldBe(HttpStatusCode.Accepted)).GetProperty("views").GetInt64();
    }

    private static async Task<long> GetViewsAsync(HttpClient client, int productId) =>
        (await client.Get($"/api/products/{productId}/views").ShouldBe(HttpStatusCode.OK)).GetProperty("views").GetInt64();

    private static async Task PostViewsAsync(HttpClient client, int productId, int count)
    {
        for (var i = 0; i < count; i++) await PostViewAsync(client, productId);
    }

    [Fact]
    public async Task A_flush_moves_every_pending_view_in_one_statement_and_the_counts_stay_exact()
    {
        var instance = await PageViewApp.ReadyAsync(app.StartInstance());
        var flusher = PageViewApp.Flusher(instance);
        var client = app.Anonymous(instance);
        await flusher.FlushAsync(Ct); // whatever earlier tests left
        int[] products = [.. Enumerable.Range(201, 20)]; // 20 products over all 16 shards
        var expected = products.ToDictionary(id => id, id => (long)(id % 5 + 1));
        foreach (var (id, views) in expected) await PostViewsAsync(client, id, (int)views);
        var sqlBefore = instance.Sql.Count;

        var report = await flusher.FlushAsync(Ct);

        output.WriteLine(report.ToString());
        Assert.Equal(1, instance.Sql.Count - sqlBefore);    // one statement, so one transaction, for every product
        Assert.Equal(1, report.DatabaseTransactions);
        Assert.Equal(16, report.Batches);                   // one batch per shard that had views
        Assert.Equal(products.Length, report.Products);
        Assert.Equal(expected.Values.Sum(), report.Views);
        foreach (var (id, views) in expected)
        {
            Assert.Equal(views, await app.FlushedAsync(id));
            Assert.Equal(0, await app.PendingAsync(id));
            Assert.Equal(0, await app.InFlightBatchesAsync(id));
            Assert.Equal(views, await GetViewsAsync(client, id));
        }

        Assert.Equal(expected[201] + 1, await PostViewAsync(client, 201)); // the write path knows the flushed total too
        var next = await flusher.FlushAsync(Ct);
        Assert.Equal((1, 1L, 1), (next.Batches, next.Views, next.DatabaseTransactions));
        sqlBefore = instance.Sql.Count;
        var idle = await flusher.FlushAsync(Ct);
        Assert.Equal((0, 0), (idle.Batches, idle.DatabaseTransactions)); // nothing pending: PostgreSQL is not touched
        Assert.Equal(sqlBefore, instance.Sql.Count);
    }

    [Fact]
    public async Task The_threshold_flush_fires_when_a_products_pending_delta_reaches_100()
    {
        var instance = await PageViewApp.ReadyAsync(app.StartInstance(new Dictionary<string, string?> { ["PageViews:FlushThreshold"] = "100" }));
        var stats = PageViewApp.Stats(instance);
        var client = app.Anonymous(instance);

        await PostViewsAsync(client, 301, 99);
        Assert.Equal(0, stats.ThresholdSignals);
        Assert.Equal(0, stats.Flushes(PageViewFlushTrigger.Threshold));
        Assert.Equal(0, await app.FlushedAsync(301));

        Assert.Equal(100, await PostViewAsync(client, 301));
        Assert.Equal(1, stats.ThresholdSignals); // signalled in process by the request that reached it
        await Eventually.TrueAsync(async () => stats.Flushes(PageViewFlushTrigger.Threshold) >= 1 && await app.FlushedAsync(301) == 100,
            "the threshold flush moved product 301's 100 views to PostgreSQL");
        Assert.Equal(0, await app.PendingAsync(301));
        Assert.Equal(0, stats.Flushes(PageViewFlushTrigger.Timer));
    }

    [Fact]
    public async Task The_timer_flush_moves_views_every_interval()
    {
        var interval = TimeSpan.FromMilliseconds(300);
        var instance = await PageViewApp.ReadyAsync(app.StartInstance(new Dictionary<string, string?> { ["PageViews:FlushInterval"] = interval.ToString() }));
        var stats = PageViewApp.Stats(instance);
        await PostViewsAsync(app.Anonymous(instance), 302, 5);
        var watch = Stopwatch.StartNew();
        var before = stats.Flushes(PageViewFlushTrigger.Timer);

        await Eventually.TrueAsync(async () => await app.FlushedAsync(302) == 5, "a timer flush moved product 302's views");
        await Eventually.TrueAsync(() => Task.FromResult(stats.Flushes(PageViewFlushTrigger.Timer) >= before + 3), "three more timer flushes ran");

        // Timer flushes are spaced by the interval (they do not spin), and none was a threshold flush.
        Assert.True(watch.Elapsed >= interval * 2, $"three timer flushes took only {watch.Elapsed}");
        Assert.Equal(0, stats.Flushes(PageViewFlushTrigger.Threshold));
        Assert.Equal(0, await app.PendingAsync(302));
        await instance.DisposeAsync(); // no timer flusher left running under the other tests of this class
    }

    [Fact]
    public async Task Graceful_shutdown_flushes_what_is_left()
    {
        var instance = await PageViewApp.ReadyAsync(app.StartInstance());
        await PostViewsAsync(app.Anonymous(instance), 303, 7);
        Assert.Equal(0, await app.FlushedAsync(303));

        await instance.DisposeAsync(); // host stop: the flusher's last flush

        Assert.Equal(7, await app.FlushedAsync(303));
        Assert.Equal(0, await app.PendingAsync(303));
        Assert.Equal(0, await app.InFlightBatchesAsync(303));
    }

    [Fact]
    public async Task While_one_flusher_owns_the_shards_another_instance_moves_nothing()
    {
        var gate = new CommandGate(FlushStatement);
        var a = await PageViewApp.ReadyAsync(app.StartInstance(new Dictionary<string, string?> { ["PageViews:LeaseTtl"] = "00:00:30" }, gate));
        var b = await PageViewApp.ReadyAsync(app.StartInstance());
        await PageViewApp.Flusher(a).FlushAsync(Ct);
        await PostViewsAsync(app.Anonymous(b), 304, 12);

        gate.Arm(CommandGate.Fault.Pause);
        var flushA = PageViewApp.Flusher(a).FlushAsync(Ct);
        await gate.Reached;                                         // A moved the views and holds every lease
        await PostViewsAsync(app.Anonymous(b), 304, 3);             // counted meanwhile in a new pending hash
        var flushB = await PageViewApp.Flusher(b).FlushAsync(Ct);
        Assert.Equal((0, 0), (flushB.Shards, flushB.Batches));      // B may not touch A's shards
        Assert.Equal(15, await GetViewsAsync(app.Anonymous(b), 304));
        gate.Release();
        var reportA = await flushA;

        Assert.Equal(12, reportA.Views);
        Assert.Equal(12, await app.FlushedAsync(304));
        await PageViewApp.Flusher(b).FlushAsync(Ct);                // A released its leases
        Assert.Equal(15, await app.FlushedAsync(304));
        Assert.Equal(15, await GetViewsAsync(app.Anonymous(a), 304));
    }

    [Fact]
    public async Task A_flusher_killed_between_the_Redis_move_and_the_commit_then_restarted_loses_and_doubles_nothing()
    {
        var gate = new CommandGate(FlushStatement);
        // A's leases outlive it by 2 s: that is how long its shards wait for a new owner.
        var a = await PageViewApp.ReadyAsync(app.StartInstance(new Dictionary<string, string?> { ["PageViews:LeaseTtl"] = "00:00:02" }, gate));
        await PageViewApp.Flusher(a).FlushAsync(Ct);
        var client = app.Anonymous(a);
        await PostViewsAsync(client, 305, 30);

        gate.Arm(CommandGate.Fault.CrashBeforeCommit);
        var dying = PageViewApp.Flusher(a).FlushAsync(Ct);
        await gate.Reached; // A moved the views into an in-flight batch, holds the leases, and "dies" here
        Assert.Equal(0, await app.PendingAsync(305));
        Assert.Equal(1, await app.InFlightBatchesAsync(305));
        Assert.Equal(0, await app.FlushedAsync(305));

        var b = await PageViewApp.ReadyAsync(app.StartInstance()); // the restarted flusher
        Assert.Equal(30, await GetViewsAsync(app.Anonymous(b), 305)); // reads count the stranded batch
        // A's leases expire; then B's flush applies and finishes A's batch.
        await Eventually.TrueAsync(async () =>
        {
            await PageViewApp.Flusher(b).FlushAsync(Ct);
            return await app.InFlightBatchesAsync(305) == 0;
        }, "B recovered A's in-flight batch");
        Assert.Equal(30, await app.FlushedAsync(305));
        Assert.True(PageViewApp.Stats(b).RecoveredBatches >= 1);

        gate.Release();
        await Assert.ThrowsAsync<SimulatedCrashException>(() => dying); // the dead flusher never commits
        await PageViewApp.Flusher(b).FlushAsync(Ct);
        Assert.Equal(30, await app.FlushedAsync(305));
        Assert.Equal(30, await GetViewsAsync(app.Anonymous(b), 305));
        Assert.Equal(31, await PostViewAsync(app.Anonymous(b), 305));
    }

    [Fact]
    public async Task A_batch_applied_twice_after_a_crash_between_commit_and_cleanup_is_counted_once()
    {
        var gate = new CommandGate(FlushStatement);
        var a = await PageViewApp.ReadyAsync(app.StartInstance(new Dictionary<string, string?>(), gate));
        await PageViewApp.Flusher(a).FlushAsync(Ct);
        await PostViewsAsync(app.Anonymous(a), 306, 40);
        const string AppliedBatches = "SELECT count(*) FROM applied_view_batches";
        var applied = await app.ScalarAsync<long>(AppliedBatches);

        gate.Arm(CommandGate.Fault.CrashAfterCommit);
        var dying = PageViewApp.Flusher(a).FlushAsync(Ct);
        await gate.Reached; // PostgreSQL committed the batch; Redis still has it in flight
        Assert.Equal(applied + 1, await app.ScalarAsync<long>(AppliedBatches));
        Assert.Equal(40, await app.FlushedAsync(306));
        Assert.Equal(1, await app.InFlightBatchesAsync(306));
        Assert.Equal(40, await GetViewsAsync(app.Anonymous(), 306)); // not 80: the batch id shows it is applied
        gate.Release();
        await Assert.ThrowsAsync<SimulatedCrashException>(() => dying);

        var replay = await PageViewApp.Flusher(app.Api).FlushAsync(Ct); // applies the same batch again

        output.WriteLine(replay.ToString());
        Assert.True(replay.AlreadyAppliedBatches >= 1, replay.ToString());
        Assert.Equal(40, await app.FlushedAsync(306));
        Assert.Equal(applied + 1, await app.ScalarAsync<long>(AppliedBatches)); // the replay recorded nothing new
        Assert.Equal(0, await app.InFlightBatchesAsync(306));
        Assert.Equal(40, await GetViewsAsync(app.Anonymous(a), 306));
        Assert.Equal(41, await PostViewAsync(app.Anonymous(a), 306)); // and the Redis mirror counted it once too
    }

    [Fact]
    public async Task A_read_racing_a_flush_between_its_Redis_and_PostgreSQL_reads_counts_each_view_once()
    {
        var gate = new CommandGate("applied_view_batches", unless: FlushStatement);
        var reader = await PageViewApp.ReadyAsync(app.StartInstance(new Dictionary<string, string?>(), gate));
        await PageViewApp.Flusher(app.Api).FlushAsync(Ct);
        await PostViewsAsync(app.Anonymous(), 307, 10);
        Assert.Equal(10, await GetViewsAsync(app.Anonymous(reader), 307));
        var seen = gate.Seen;

        gate.Arm(CommandGate.Fault.Pause);
        var read = GetViewsAsync(app.Anonymous(reader), 307);
        await gate.Reached;                                 // it read 10 pending views in Redis, PostgreSQL is next
        var flush = await PageViewApp.Flusher(app.Api).FlushAsync(Ct); // moves those 10 views and commits them
        Assert.Equal(10, flush.Views);
        gate.Release();

        Assert.Equal(10, await read);                       // not 20: the move was noticed and the read retried
        Assert.Equal(2, gate.Seen - seen);
    }
}
