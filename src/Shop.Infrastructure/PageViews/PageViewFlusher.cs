using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Infrastructure.Persistence;
using StackExchange.Redis;

namespace Shop.Infrastructure.PageViews;

/// <summary>
/// Write-behind, the flushing side: moves the page views counted in Redis (<see cref="RedisPageViewCounter"/>) to
/// PostgreSQL, exactly once, with any number of instances flushing at the same time and any of them dying at any point.
/// Runs at startup, every <c>PageViews:FlushInterval</c>, when a product's pending delta reaches
/// <c>PageViews:FlushThreshold</c> (signalled in process), and once more on graceful shutdown. One flush:
/// <list type="number">
/// <item>Lease: <c>SET {pv:N}:lease token NX PX</c> for every shard (pipelined); shards another flusher owns are skipped.</item>
/// <item>Move (<c>Lua/claim.lua</c>, per owned shard, pipelined, fenced by the lease): if no batch is in flight in the
/// shard, RENAME the pending hash to a new in-flight batch with a fresh UUIDv7 id; else retry the batch in flight as it
/// is (a failed flush's, or a dead flusher's). At most one batch per shard, whatever the outage. A batch older than
/// <c>PageViews:MaxBatchAge</c> is parked instead (<c>Lua/park.lua</c>), never applied after its id may be pruned.</item>
/// <item>Apply: one SQL statement, so one transaction, for every batch of the flush: record the batch ids in
/// <c>applied_view_batches</c> (ON CONFLICT DO NOTHING) and add the deltas of the batches recorded just now to
/// <c>product_view_totals</c> (INSERT … ON CONFLICT DO UPDATE over unnest arrays). A batch applied before adds nothing.</item>
/// <item>Finish (<c>Lua/finish.lua</c>, fenced): delete the batches and move their views into the Redis mirror of the
/// flushed totals; then release the leases.</item>
/// </list>
/// Guarantees: every acknowledged view reaches PostgreSQL exactly once, however flushers crash: one that dies after
/// the move leaves its batch in flight, and the next owner of the shard (after <c>PageViews:LeaseTtl</c>) applies it
/// again, which is a no-op if the commit had happened. Two instances never move or finish the same shard at once: a
/// flusher whose lease expired (paused, partitioned) is fenced out of Redis, and its late commit can only be of a
/// batch id the new owner applies idempotently. Does not: protect views that Redis itself loses (a crash within the
/// AOF fsync window, a failover to a replica that lagged, eviction under memory pressure); keep a view that arrives
/// for a product deleted meanwhile (dropped at the flush); apply a batch parked as too old (an operator reconciles it).
/// While PostgreSQL or Redis fails, attempts back off exponentially from <c>PageViews:FlushInterval</c> to
/// <c>PageViews:FlushRetryMaxDelay</c> (logged once per failing streak); the backlog stays in the one batch plus the
/// pending hash (one field per product), so recording a view costs the same whatever the outage length.
/// </summary>
public sealed partial class PageViewFlusher(
    PageViewConnection connection,
    PageViewKeys keys,
    IServiceScopeFactory scopes,
    PageViewFlushSignal signal,
    PageViewStats stats,
    IOptions<PageViewOptions> options,
    TimeProvider clock,
    ILogger<PageViewFlusher> logger) : BackgroundService
{
    private readonly PageViewOptions _options = options.Value;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private long _lastPrune = Stopwatch.GetTimestamp();
    private int _failureStreak;
    private Task? _stopping;

    private sealed record Batch(int Shard, Guid Id, IReadOnlyList<(int ProductId, long Views)> Deltas, bool Recovered);

    private sealed record Claim(int Shard, bool Seeded, List<Batch> Batches);

    /// <summary>A row of the flush statement: a product's new total, an applied batch id, or a product's current total (mirror rebuild).</summary>
    internal sealed class FlushRow
    {
        public string Kind { get; set; } = "";
        public Guid? BatchId { get; set; }
        public int? ProductId { get; set; }
        public long? Views { get; set; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // First thing: finish what a flusher that died left in flight (in the shards whose leases have expired).
        var trigger = PageViewFlushTrigger.Startup;
        try
        {
            await Task.Yield(); // never delay the host's start
            var followUp = false;
            while (true)
            {
                var report = await TryFlushAsync(trigger, stoppingToken);
                await PruneIfDueAsync(stoppingToken);
                if (report is null)
                {
                    // Failing (PostgreSQL or Redis down): back off, and let no threshold signal cut the wait short.
                    await Task.Delay(RetryDelay(Volatile.Read(ref _failureStreak)), stoppingToken);
                    trigger = PageViewFlushTrigger.Timer;
                    continue;
                }
                // A flush that retried a batch left in flight moved nothing new (one batch per shard): once, go on
                // at once with what piled up in :pending meanwhile.
                followUp = !followUp && report.RecoveredBatches > 0;
                if (followUp) continue;
                trigger = await signal.WaitAsync(_options.FlushInterval, stoppingToken) ? PageViewFlushTrigger.Threshold : PageViewFlushTrigger.Timer;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Stops the loop (a flush it cancels leaves its batches in flight), then flushes once more. Idempotent: a host can
    /// be stopped twice (WebApplicationFactory and the app's own RunAsync both do), and both callers wait for the one flush.
    /// </summary>
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Interlocked.CompareExchange(ref _stopping, stopping.Task, null);
        if (first is not null) return first;
        _ = StopOnceAsync(stopping, cancellationToken);
        return stopping.Task;
    }

    private async Task StopOnceAsync(TaskCompletionSource stopping, CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken);
            if (_options.FlushOnShutdown) await TryFlushAsync(PageViewFlushTrigger.Shutdown, cancellationToken);
        }
        finally
        {
            stopping.TrySetResult();
        }
    }

    /// <summary>Flushes now and returns what moved (after any flush of this instance already running).</summary>
    public Task<PageViewFlushReport> FlushAsync(CancellationToken cancellationToken) => FlushAsync(PageViewFlushTrigger.Manual, cancellationToken);

    private async Task<PageViewFlushReport> FlushAsync(PageViewFlushTrigger trigger, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var report = await FlushOnceAsync(trigger, cancellationToken);
            stats.Flushed(report);
            return report;
        }
        catch
        {
            stats.FlushFailed();
            throw;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>The flush's report, or null if it failed.</summary>
    private async Task<PageViewFlushReport?> TryFlushAsync(PageViewFlushTrigger trigger, CancellationToken cancellationToken)
    {
        try
        {
            var report = await FlushAsync(trigger, cancellationToken);
            var failed = Interlocked.Exchange(ref _failureStreak, 0);
            if (failed > 0) LogRecovered(failed);
            return report;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            // Once per streak of failures, not every attempt while PostgreSQL or Redis is down.
            if (Interlocked.Increment(ref _failureStreak) == 1) LogFailed(ex, trigger, _options.FlushRetryMaxDelay);
            return null;
        }
    }

    /// <summary>FlushInterval, doubled per consecutive failure, capped at FlushRetryMaxDelay (never below FlushInterval).</summary>
    private TimeSpan RetryDelay(int failures)
    {
        var cap = _options.FlushRetryMaxDelay > _options.FlushInterval ? _options.FlushRetryMaxDelay : _options.FlushInterval;
        var delay = _options.FlushInterval;
        for (var i = 1; i < failures && delay < cap; i++) delay *= 2;
        return delay < cap ? delay : cap;
    }

    private async Task<PageViewFlushReport> FlushOnceAsync(PageViewFlushTrigger trigger, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var redis = await connection.GetAsync(cancellationToken);
        if (redis is not { IsConnected: true })
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "The page-view flusher cannot reach Redis.", null, CommandStatus.Unknown);
        var db = redis.GetDatabase();
        await SampleBacklogAsync(db);

        var token = Guid.NewGuid().ToString("N");
        var owned = await AcquireLeasesAsync(db, token);
        try
        {
            var claims = await RefuseExpiredAsync(db, await ClaimAsync(db, owned, token), token);
            var batches = claims.SelectMany(c => c.Batches).ToList();
            if (batches.Count == 0) return new PageViewFlushReport(trigger, owned.Count, 0, 0, 0, 0, 0, 0, Stopwatch.GetElapsedTime(started));

            // Shards whose mirror Redis lost are rebuilt from this same statement (whole shard, same snapshot).
            var rebuild = claims.Where(c => !c.Seeded && c.Batches.Count > 0).Select(c => c.Shard).ToHashSet();
            var rows = await ApplyAsync(batches, [.. rebuild], cancellationToken);
            await FinishAsync(db, [.. claims.Where(c => c.Batches.Count > 0)], rows, rebuild, token);

            var applied = rows.Where(r => r.Kind == "applied").Select(r => r.BatchId!.Value).ToHashSet();
            return new PageViewFlushReport(trigger, owned.Count, batches.Count, batches.Count(b => b.Recovered), batches.Count - applied.Count,
                rows.Count(r => r.Kind == "flushed"), batches.Where(b => applied.Contains(b.Id)).Sum(b => b.Deltas.Sum(d => d.Views)), 1,
                Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            await ReleaseLeasesAsync(db, owned, token);
        }
    }

    /// <summary>The backlog over every shard, for the metrics (one pipelined round trip).</summary>
    private async Task SampleBacklogAsync(IDatabase db)
    {
        var batch = db.CreateBatch();
        var reads = Enumerable.Range(0, PageViewKeys.Shards)
            .Select(s => (Pending: batch.HashValuesAsync(keys.Pending(s)), InFlight: batch.SetLengthAsync(keys.InFlight(s))))
            .ToArray();
        batch.Execute();
        long products = 0, views = 0, inFlight = 0;
        foreach (var (pending, batches) in reads)
        {
            var values = await pending;
            products += values.Length;
            views += values.Sum(v => (long)v);
            inFlight += await batches;
        }
        stats.Backlog(products, views, inFlight);
    }

    private async Task<List<int>> AcquireLeasesAsync(IDatabase db, string token)
    {
        var batch = db.CreateBatch();
        var sets = Enumerable.Range(0, PageViewKeys.Shards)
            .Select(s => batch.StringSetAsync(keys.Lease(s), token, _options.LeaseTtl, When.NotExists))
            .ToArray();
        batch.Execute();
        var acquired = await Task.WhenAll(sets);
        return [.. Enumerable.Range(0, PageViewKeys.Shards).Where(s => acquired[s])];
    }

    private async Task<List<Claim>> ClaimAsync(IDatabase db, List<int> shards, string token)
    {
        var batch = db.CreateBatch();
        var calls = shards.Select(shard =>
        {
            var id = Guid.CreateVersion7(clock.GetUtcNow()); // its age, read back at the next claim, is on the same clock
            return (Shard: shard, Id: id, Call: batch.ScriptEvaluateAsync(PageViewScripts.Claim,
                [keys.Lease(shard), keys.Pending(shard), keys.InFlight(shard), keys.Moves(shard), keys.Flushed(shard)],
                [token, (long)_options.LeaseTtl.TotalMilliseconds, id.ToString()]));
        }).ToList();
        batch.Execute();

        var claims = new List<Claim>(calls.Count);
        foreach (var (shard, newId, call) in calls)
        {
            var result = await call;
            if (result.IsNull)
            {
                LogLeaseLost(shard);
                continue;
            }
            var items = (RedisResult[])result!;
            var batches = new List<Batch>();
            for (var i = 1; i + 1 < items.Length; i += 2)
            {
                var id = Guid.Parse((string)items[i]!);
                var fields = (RedisResult[])items[i + 1]!;
                var deltas = new List<(int, long)>(fields.Length / 2);
                for (var j = 0; j + 1 < fields.Length; j += 2) deltas.Add(((int)fields[j], (long)fields[j + 1]));
                batches.Add(new Batch(shard, id, deltas, Recovered: id != newId));
            }
            claims.Add(new Claim(shard, (long)items[0] == 1, batches));
        }
        return claims;
    }

    /// <summary>
    /// Parks every claimed batch older than <c>PageViews:MaxBatchAge</c> (its age is in its UUIDv7 id): its id may be
    /// pruned from <c>applied_view_batches</c> by now, so applying it could count it twice. Returns the claims without them.
    /// </summary>
    private async Task<List<Claim>> RefuseExpiredAsync(IDatabase db, List<Claim> claims, string token)
    {
        var now = clock.GetUtcNow();
        var result = new List<Claim>(claims.Count);
        foreach (var claim in claims)
        {
            var kept = new List<Batch>(claim.Batches.Count);
            foreach (var batch in claim.Batches)
            {
                var age = now - CreatedAt(batch.Id);
                if (age <= _options.MaxBatchAge)
                {
                    kept.Add(batch);
                    continue;
                }
                var parked = (long)await db.ScriptEvaluateAsync(PageViewScripts.Park,
                    [keys.Lease(claim.Shard), keys.InFlight(claim.Shard), keys.Parked(claim.Shard)], [token, batch.Id.ToString()]);
                if (parked == 0)
                {
                    LogLeaseLost(claim.Shard);
                    continue;
                }
                var views = batch.Deltas.Sum(d => d.Views);
                stats.BatchRefused(views);
                LogBatchRefused(batch.Id, claim.Shard, age, views, _options.MaxBatchAge);
            }
            result.Add(claim with { Batches = kept });
        }
        return result;
    }

    /// <summary>The creation time in a UUIDv7 (its first 48 bits, Unix milliseconds); a non-v7 id counts as ancient.</summary>
    internal static DateTimeOffset CreatedAt(Guid id)
    {
        if (id.Version != 7) return DateTimeOffset.MinValue;
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        long ms = 0;
        for (var i = 0; i < 6; i++) ms = (ms << 8) | bytes[i];
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    /// <summary>
    /// The one statement (one transaction) of a flush. Product row locks are taken in product id order, so two flushes
    /// that overlap (a fenced-out flusher's late commit) cannot deadlock. Views of a product deleted since are dropped.
    /// </summary>
    private async Task<List<FlushRow>> ApplyAsync(List<Batch> batches, int[] rebuildShards, CancellationToken cancellationToken)
    {
        Guid[] batchIds = [.. batches.Select(b => b.Id)];
        var deltas = batches.SelectMany(b => b.Deltas.Select(d => (Batch: b.Id, d.ProductId, d.Views))).ToArray();
        Guid[] rowBatches = [.. deltas.Select(d => d.Batch)];
        int[] rowProducts = [.. deltas.Select(d => d.ProductId)];
        long[] rowViews = [.. deltas.Select(d => d.Views)];
        const int shardCount = PageViewKeys.Shards;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
        stats.DatabaseTransaction();
        return await db.Database.SqlQuery<FlushRow>($"""
            WITH batch_rows AS (
                SELECT * FROM unnest({rowBatches}, {rowProducts}, {rowViews}) AS r(batch_id, product_id, views)
            ), applied AS (
                INSERT INTO applied_view_batches (batch_id, applied_at)
                SELECT id, now() FROM unnest({batchIds}) AS b(id) ORDER BY id
                ON CONFLICT (batch_id) DO NOTHING
                RETURNING batch_id
            ), deltas AS (
                SELECT r.product_id, sum(r.views)::bigint AS views
                FROM batch_rows r
                JOIN applied a ON a.batch_id = r.batch_id
                JOIN products p ON p.id = r.product_id
                GROUP BY r.product_id
            ), flushed AS (
                INSERT INTO product_view_totals AS t (product_id, views)
                SELECT product_id, views FROM deltas ORDER BY product_id
                ON CONFLICT (product_id) DO UPDATE SET views = t.views + excluded.views
                RETURNING t.product_id, t.views
            )
            SELECT 'flushed' AS kind, NULL::uuid AS batch_id, product_id, views FROM flushed
            UNION ALL
            SELECT 'applied', batch_id, NULL, NULL FROM applied
            UNION ALL
            SELECT 'current', NULL, product_id, views FROM product_view_totals
            WHERE cardinality({rebuildShards}) > 0 AND product_id % {shardCount} = ANY({rebuildShards})
            """).ToListAsync(cancellationToken);
    }

    private async Task FinishAsync(IDatabase db, List<Claim> claims, List<FlushRow> rows, HashSet<int> rebuild, string token)
    {
        var batch = db.CreateBatch();
        var calls = new List<(int Shard, Task<RedisResult> Call)>(claims.Count);
        foreach (var claim in claims)
        {
            var shard = claim.Shard;
            var args = new List<RedisValue> { token, claim.Batches.Count };
            args.AddRange(claim.Batches.Select(b => (RedisValue)b.Id.ToString()));
            args.Add(rebuild.Contains(shard) ? 1 : 0);
            foreach (var (product, total) in TotalsOf(shard, rows, rebuild.Contains(shard)))
            {
                args.Add(product);
                args.Add(total);
            }
            calls.Add((shard, batch.ScriptEvaluateAsync(PageViewScripts.Finish, [keys.Lease(shard), keys.InFlight(shard), keys.Flushed(shard)], [.. args])));
        }
        batch.Execute();
        foreach (var (shard, call) in calls)
        {
            if ((long)await call == 0) LogLeaseLost(shard);
        }
    }

    /// <summary>
    /// The totals to write into a shard's mirror: the new totals of the products the flush changed, and for a rebuild
    /// the current total of every other product of the shard as well (same statement, same snapshot).
    /// </summary>
    private static Dictionary<int, long> TotalsOf(int shard, List<FlushRow> rows, bool rebuild)
    {
        var totals = new Dictionary<int, long>();
        foreach (var row in rows)
        {
            if (row.ProductId is not { } product || PageViewKeys.ShardOf(product) != shard) continue;
            if (row.Kind == "flushed") totals[product] = row.Views!.Value;
            else if (rebuild && row.Kind == "current") totals.TryAdd(product, row.Views!.Value);
        }
        return totals;
    }

    private async Task ReleaseLeasesAsync(IDatabase db, List<int> shards, string token)
    {
        if (shards.Count == 0) return;
        try
        {
            var batch = db.CreateBatch();
            var calls = shards.Select(s => batch.ScriptEvaluateAsync(PageViewScripts.Release, [keys.Lease(s)], [token])).ToArray();
            batch.Execute();
            await Task.WhenAll(calls);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogReleaseFailed(ex.Message); // the leases expire after LeaseTtl
        }
    }

    /// <summary>Deletes applied batch ids older than <c>PageViews:BatchRetention</c>, every <c>PageViews:PruneInterval</c>.</summary>
    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        if (Stopwatch.GetElapsedTime(_lastPrune) < _options.PruneInterval) return;
        _lastPrune = Stopwatch.GetTimestamp();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
            // PostgreSQL's clock on both sides: applied_at is its now() at the commit.
            var deleted = await db.Database.ExecuteSqlAsync($"DELETE FROM applied_view_batches WHERE applied_at < now() - {_options.BatchRetention}", cancellationToken);
            if (deleted > 0) LogPruned(deleted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPruneFailed(ex.Message);
        }
    }

    public override void Dispose()
    {
        _oneAtATime.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Page-view flush ({Trigger}) failed; its batches stay in flight in Redis and are retried with a backoff of up to {MaxDelay} (logged once until flushes succeed again)")]
    private partial void LogFailed(Exception exception, PageViewFlushTrigger trigger, TimeSpan maxDelay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Page-view flushes succeed again after {Failures} failed attempts")]
    private partial void LogRecovered(int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused page-view batch {BatchId} of shard {Shard}: {Age} old, past PageViews:MaxBatchAge ({MaxAge}), so its id may be pruned and applying it could count it twice. Its {Views} views are parked in Redis for manual reconciliation")]
    private partial void LogBatchRefused(Guid batchId, int shard, TimeSpan age, long views, TimeSpan maxAge);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease of page-view shard {Shard} during a flush (slower than PageViews:LeaseTtl?); its new owner finishes it")]
    private partial void LogLeaseLost(int shard);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not release page-view shard leases ({Message}); they expire on their own")]
    private partial void LogReleaseFailed(string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} applied page-view batch ids past their retention")]
    private partial void LogPruned(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning applied page-view batch ids failed: {Message}")]
    private partial void LogPruneFailed(string message);
}
