using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;
using StackExchange.Redis;

namespace Shop.LoadLab.Chaos;

/// <summary>
/// The chaos lab (issue #15), run by scripts/chaos.sh: per scenario, two fresh API processes (Development, for the admin
/// token of the price changes; a key prefix of their own on a flushed Redis) under <see cref="ChaosTraffic"/>, one fault
/// injected after a steady start, the traffic kept up after it, then the page views flushed and counted in PostgreSQL.
/// The faults act on the lab's own PostgreSQL and Redis (scripts/chaos.sh starts them, and stops and starts them again
/// when the lab asks through `scripts/chaos.sh fault NAME`), never on the shared ones.
/// </summary>
public sealed class ChaosLab(LabOptions options)
{
    public static readonly string[] AllScenarios = ["kill", "pg", "redis", "latency", "failover", "primary-kill"];

    private const double ReadRate = 60, ViewRate = 20, WriteRate = 3;
    private readonly string _logs = Path.Combine(options.Out, "logs");
    private readonly Zipf _zipf = new(Math.Min(options.Products, 2000), options.ZipfS); // the demo seed has 2,000 products
    private readonly string _run = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);

    private double Before => options.ShortRun ? 2 : 10;
    private double Outage => options.Outage ?? (options.ShortRun ? 3 : 30);
    private double RecoveryWindow => options.ShortRun ? 2 : 10;

    // Long enough to see a recovery at the stated bound (Cache:BreakerOpenDuration) followed by a clean recovery window.
    private double After => Math.Max(options.ShortRun ? 4 : 30, options.BreakerOpen + RecoveryWindow);

    // The pg scenario: entries expire during even a 3 s outage, so fail-safe (not a long TTL) is what answers them.
    private const double PgProductTtl = 2, PgL1Ttl = 2;

    public static ChaosSettings Settings(LabOptions options, ChaosLab lab) => new(
        options.ShortRun ? "short" : "full", lab.Before, lab.Outage, lab.After, lab.RecoveryWindow, ReadRate, ViewRate, WriteRate,
        lab._zipf.N, options.ZipfS, 5, options.DegradedL1Ttl, options.BreakerOpen, PgProductTtl, PgL1Ttl);

    private static string Span(double seconds) => TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);

    private Dictionary<string, string> Env(string prefix, string redis) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development", // /api/dev/token for the writer's admin token
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        ["ConnectionStrings__Postgres"] = options.Postgres,
        ["ConnectionStrings__Redis"] = redis + ",connectTimeout=2000,allowAdmin=true",
        ["Database__MigrateOnStartup"] = "true",
        ["Database__Seed"] = "demo",
        ["Cache__KeyPrefix"] = prefix,
        // Set here (the defaults unless --degraded-l1-ttl / --breaker-open say otherwise) because the bounds the lab
        // asserts are computed from them.
        ["Cache__DegradedL1Ttl"] = Span(options.DegradedL1Ttl),
        ["Cache__BreakerOpenDuration"] = Span(options.BreakerOpen),
        // The breaker's and the invalidation subscriber's state changes, in artifacts/chaos/logs.
        ["Logging__LogLevel__Shop.Infrastructure.Caching"] = "Information",
        // One load generator is one client: the per-client rate limits are not under test.
        ["RateLimiting__PageViews__PermitLimit"] = "1000000000",
        ["RateLimiting__Reads__PermitLimit"] = "1000000000",
        ["RateLimiting__Writes__PermitLimit"] = "1000000000",
    };

    /// <summary>
    /// One start that migrates and seeds the lab's database, so no two instances seed it at once later (EF Core's
    /// migration lock serialises concurrent migrations, but two seeders of an empty database would collide).
    /// </summary>
    public async Task PrepareAsync()
    {
        await using (var db = NpgsqlDataSource.Create(options.Postgres))
        {
            try
            {
                await using var command = db.CreateCommand("SELECT count(*) FROM products");
                if (Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0) return;
            }
            catch (PostgresException)
            {
                // No database or no table yet: the prepare start creates them.
            }
        }
        Console.WriteLine("== Prepare: migrations + demo seed of the lab database");
        var sw = Stopwatch.StartNew();
        await using (await ApiProcess.StartAsync(options.ApiDll, "chaos-prepare", Env($"chaosprep{_run}", options.Redis), _logs)) { }
        Console.WriteLine($"   ready in {sw.Elapsed.TotalSeconds:F1} s");
    }

    public async Task<ScenarioResult> RunAsync(string scenario)
    {
        var result = new ScenarioResult { Name = scenario, Fault = Describe(scenario) };
        Console.WriteLine($"\n== [{DateTime.UtcNow:HH:mm:ss}] {scenario}: {result.Fault}");
        var prefix = $"chaos{_run}{scenario}";
        var cluster = scenario is "failover" or "primary-kill";
        if (cluster && options.Cluster is null) throw new InvalidOperationException("the failover scenario needs --cluster (scripts/chaos.sh starts one)");
        var redisConfig = cluster ? options.Cluster! : options.Redis;
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redisConfig + ",allowAdmin=true,abortConnect=false,connectTimeout=2000");
        foreach (var server in admin.GetServers().Where(s => s.IsConnected && !s.IsReplica)) await server.FlushAllDatabasesAsync();

        await using var proxy = scenario == "latency" ? new LatencyProxy(int.Parse(options.Redis.Split(':')[1], CultureInfo.InvariantCulture)) : null;
        var apiRedis = proxy is null ? redisConfig : $"127.0.0.1:{proxy.Port}";
        result.Redis = cluster ? "Redis Cluster (3 primaries + 3 replicas)" : proxy is null ? "Redis (standalone)" : "Redis through the latency proxy";
        var env = Env(prefix, apiRedis);
        if (scenario == "pg")
        {
            env["Cache__Ttl__product"] = Span(PgProductTtl);
            env["Cache__L1Ttl"] = Span(PgL1Ttl);
        }
        var apis = new List<ApiProcess>();
        try
        {
            apis.AddRange(await Task.WhenAll(ApiProcess.StartAsync(options.ApiDll, $"{scenario}-a", env, _logs), ApiProcess.StartAsync(options.ApiDll, $"{scenario}-b", env, _logs)));
            var token = await TokenAsync(apis[0].BaseUrl);
            await Task.WhenAll(apis.Select(a => WarmAsync(a.BaseUrl)));
            await using var db = NpgsqlDataSource.Create(options.Postgres);
            var viewsBefore = await ViewTotalsAsync(db);
            var load0 = LoadAverage();
            await using var maxPrice = db.CreateCommand("SELECT COALESCE(max(price), 0) FROM products");
            var highest = Convert.ToDecimal(await maxPrice.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            await using var traffic = new ChaosTraffic([.. apis.Select(a => a.BaseUrl)], _zipf, token, TimeSpan.FromSeconds(5), highest);
            traffic.Start(ReadRate, ViewRate, WriteRate);
            await Task.Delay(TimeSpan.FromSeconds(Before));
            result.FaultStartS = traffic.NowMs / 1000;
            await InjectAsync(scenario, apis, env, proxy, result.Notes);
            result.FaultEndS = traffic.NowMs / 1000;
            Console.WriteLine($"   fault from {result.FaultStartS:F1} s to {result.FaultEndS:F1} s of the traffic; observing {After:F0} s more");
            await Task.Delay(TimeSpan.FromSeconds(After));
            var events = await traffic.StopAsync();
            result.Notes.Add($"machine load average (1 min) {load0} at the start of the traffic, {LoadAverage()} at its end ({Environment.ProcessorCount} cores).");
            Console.WriteLine($"   [{DateTime.UtcNow:HH:mm:ss}] traffic stopped; final flush");
            result.EndS = traffic.NowMs / 1000;
            result.Shed = traffic.Shed;
            ChaosAnalysis.Analyse(result, events, RecoveryWindow);
            // Every request of the scenario, for questions the table does not answer.
            await File.WriteAllTextAsync(Path.Combine(options.Out, $"events-{scenario}.json"), JsonSerializer.Serialize(events.OrderBy(e => e.SentMs)));
            var okBefore = events.Where(e => e.Kind == 'r' && e.Status is >= 200 and < 300 && e.SentMs < result.FaultStartS * 1000).Select(e => e.DoneMs - e.SentMs).ToList();
            if (okBefore.Count > 0)
            {
                result.ReadsBeforeP99Ms = ChaosAnalysis.Percentile(okBefore, 0.99);
                result.Notes.Add($"reads answered 2xx before the fault, for comparison: p50 {ChaosAnalysis.Percentile(okBefore, 0.5):F0} ms, p99 {result.ReadsBeforeP99Ms:F0} ms, max {okBefore.Max():F0} ms.");
            }
            if (result.Reads503Latency is { } latency) result.Notes.Add($"503s answered to reads during the fault: {latency}.");
            if (result.PreviouslyCachedMissed.Count > 0)
                result.Notes.Add("previously cached reads not answered during the fault (first 10): " + string.Join("; ", result.PreviouslyCachedMissed) + ".");
            if (result.OlderSamples.Count > 0)
                result.Notes.Add($"older reads by instance and X-Cache: {string.Join(", ", result.OlderByAnswer.Select(kv => $"{kv.Key} {kv.Value}"))}; first: {string.Join("; ", result.OlderSamples.Take(5))}.");

            // Final flush: wait while batches are in flight in Redis (a killed flusher's are taken over once its lease,
            // PageViews:LeaseTtl = 15 s, expires), then stop the instances gracefully: each flushes what is pending.
            var flush = Stopwatch.StartNew();
            long inFlight;
            while ((inFlight = await ViewsInRedisAsync(admin, prefix, pending: false)) > 0 && flush.Elapsed < TimeSpan.FromSeconds(40)) await Task.Delay(500);
            result.FlushWaitS = flush.Elapsed.TotalSeconds;
            await Task.WhenAll(apis.Select(a => a.DisposeAsync().AsTask()));
            apis.Clear();
            result.ViewsLeftInRedis = await ViewsInRedisAsync(admin, prefix, pending: true);
            if (inFlight > 0) result.Notes.Add($"{inFlight} views still in flight in Redis after {result.FlushWaitS:F0} s of waiting.");
            if (result.ViewsLeftInRedis > 0) result.Notes.Add($"{result.ViewsLeftInRedis} views left in Redis (pending or in flight) after both instances stopped gracefully.");
            ChaosAnalysis.Views(result, events, viewsBefore, await ViewTotalsAsync(db));
            Print(result);
            return result;
        }
        finally
        {
            foreach (var api in apis) await api.DisposeAsync();
        }
    }

    private string Describe(string scenario) => scenario switch
    {
        "kill" => "kill -9 of instance B; B started again at once on the same port (as a supervisor would)",
        "pg" => $"PostgreSQL stopped (pg_ctl stop -m fast) for {Outage:F0} s, then started (product and L1 TTL {PgProductTtl:F0} s)",
        "redis" => $"Redis stopped (SHUTDOWN NOSAVE; AOF on, as db/redis/redis.conf) for {Outage:F0} s, then started",
        "latency" => $"every Redis reply delayed 200 ms (TCP proxy between the instances and Redis) for {Outage:F0} s",
        "failover" => "CLUSTER FAILOVER on the replica of one of the 3 primaries (Redis Cluster), under load with writes",
        "primary-kill" => "kill -9 of one of the 3 Redis Cluster primaries; its replica promoted (cluster-node-timeout 2 s), the killed node restarted",
        _ => throw new ArgumentException($"unknown chaos scenario '{scenario}' (known: {string.Join(", ", AllScenarios)})"),
    };

    /// <summary>Injects the fault and takes it away again; checks that it took (a probe of the dependency) and notes what it saw.</summary>
    private async Task InjectAsync(string scenario, List<ApiProcess> apis, Dictionary<string, string> env, LatencyProxy? proxy, List<string> notes)
    {
        var outage = TimeSpan.FromSeconds(Outage);
        switch (scenario)
        {
            case "kill":
                var port = apis[1].Port;
                var killed = Stopwatch.StartNew();
                await apis[1].KillHardAsync();
                await apis[1].DisposeAsync();
                apis[1] = await ApiProcess.StartAsync(options.ApiDll, "kill-b-restarted", env, _logs, port);
                notes.Add($"B answered /health/live again {killed.Elapsed.TotalSeconds:F1} s after the SIGKILL.");
                break;
            case "pg":
                await FaultAsync("pg-stop");
                try
                {
                    notes.Add(await PostgresAnswersAsync() ? "FAULT NOT INJECTED: PostgreSQL still answered after pg_ctl stop." : "Checked: PostgreSQL refused a new connection during the outage.");
                    await Task.Delay(outage);
                }
                finally { await FaultAsync("pg-start"); }
                break;
            case "redis":
                await FaultAsync("redis-stop");
                try
                {
                    notes.Add(await PingAsync(options.Redis) is null ? "Checked: Redis refused a new connection during the outage." : "FAULT NOT INJECTED: Redis still answered PING after SHUTDOWN.");
                    await Task.Delay(outage);
                }
                finally { await FaultAsync("redis-start"); }
                break;
            case "latency":
                var through = $"127.0.0.1:{proxy!.Port}";
                var before = await PingAsync(through);
                proxy.Delay = TimeSpan.FromMilliseconds(200);
                try
                {
                    var during = await PingAsync(through);
                    notes.Add($"Checked: Redis PING through the proxy took {Ms(before)} before the fault and {Ms(during)} during it.");
                    await Task.Delay(outage);
                }
                finally { proxy.Delay = TimeSpan.Zero; }
                break;
            case "failover":
                notes.Add("Checked: " + await FaultAsync("cluster-failover") + ".");
                break;
            case "primary-kill":
                notes.Add("Checked: " + await FaultAsync("cluster-kill-primary") + ".");
                break;
        }
    }

    private static string Ms(TimeSpan? t) => t is { } v ? $"{v.TotalMilliseconds:F1} ms" : "no answer";

    /// <summary>A fresh connection (no pool) and SELECT 1, within 2 s.</summary>
    private async Task<bool> PostgresAnswersAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(options.Postgres + ";Pooling=false;Timeout=2");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync();
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Round trip of one PING on a new connection, or null when none can be made within a second.</summary>
    private static async Task<TimeSpan?> PingAsync(string endpoint)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{endpoint},abortConnect=false,connectTimeout=1000,connectRetry=0,syncTimeout=2000,asyncTimeout=2000");
        if (!redis.IsConnected) return null;
        try
        {
            await redis.GetDatabase().PingAsync(); // the first command may still set the connection up
            return await redis.GetDatabase().PingAsync();
        }
        catch (RedisException)
        {
            return null;
        }
    }

    /// <summary>Runs `bash SCRIPT fault NAME` (scripts/chaos.sh), which knows the lab's ports and data directories.</summary>
    private async Task<string> FaultAsync(string name)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(options.FaultScript);
        info.ArgumentList.Add("fault");
        info.ArgumentList.Add(name);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fault {name} did not finish in 60 s");
        }
        var output = (await stdout + await stderr).Trim();
        if (process.ExitCode != 0) throw new InvalidOperationException($"fault {name} exited {process.ExitCode}: {output}");
        var last = output.Split('\n').LastOrDefault() ?? "";
        Console.WriteLine($"   [{DateTime.UtcNow:HH:mm:ss.f}] fault {name}: {last}");
        return last;
    }

    /// <summary>
    /// Reads of the hot products on a fresh instance before the measured traffic, so its first seconds (JIT, connection
    /// pools, a Redis reply late past the 250 ms timeout on a busy machine) are not counted as the fault's doing. No
    /// views: they would be counted in PostgreSQL without being part of the traffic's acknowledged views.
    /// </summary>
    private async Task WarmAsync(string baseUrl)
    {
        using var client = LoadRunner.CreateClient(baseUrl, 4);
        var ids = _zipf.Ids.Take(40).ToList();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async w =>
        {
            for (var i = w; i < ids.Count; i += 4) await LoadRunner.GetAsync(client, $"/api/products/{ids[i].ToString(CultureInfo.InvariantCulture)}");
        }));
    }

    private static async Task<string> TokenAsync(string baseUrl)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.PostAsJsonAsync(baseUrl + "/api/dev/token", new { userId = 1, role = "admin" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>product_view_totals as a map; retried while PostgreSQL comes back (the pool's old connections are broken).</summary>
    private static async Task<Dictionary<int, long>> ViewTotalsAsync(NpgsqlDataSource db)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var totals = new Dictionary<int, long>();
                await using var command = db.CreateCommand("SELECT product_id, views FROM product_view_totals");
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) totals[reader.GetInt32(0)] = reader.GetInt64(1);
                return totals;
            }
            catch (Exception ex) when (attempt < 20 && ex is NpgsqlException or SocketException or IOException)
            {
                NpgsqlConnection.ClearAllPools();
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Views still in Redis under this prefix: the in-flight batches, plus the pending hashes if asked (see PageViewKeys).</summary>
    private static async Task<long> ViewsInRedisAsync(ConnectionMultiplexer redis, string prefix, bool pending)
    {
        long views = 0;
        var db = redis.GetDatabase();
        foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            foreach (var pattern in pending ? [$"{prefix}:v1:{{pv:*}}:pending", $"{prefix}:v1:{{pv:*}}:inflight:*"] : new[] { $"{prefix}:v1:{{pv:*}}:inflight:*" })
            {
                await foreach (var key in server.KeysAsync(pattern: pattern))
                {
                    foreach (var value in await db.HashValuesAsync(key)) views += (long)value;
                }
            }
        }
        return views;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static void Print(ScenarioResult r)
    {
        var a = r.All;
        Console.WriteLine($"   requests {a.Requests}: 2xx {a.Ok}, 4xx {a.ClientErrors}, 5xx {a.ServerErrors} (500: {a.Status500}, 503: {a.Status503}), errors {a.Errors}, timeouts {a.Timeouts}, shed {r.Shed}");
        Console.WriteLine($"   during the fault: reads {r.ReadsDuringFault.Ok}/{r.ReadsDuringFault.Requests} ok, previously cached {r.PreviouslyCachedDuringFault.Ok}/{r.PreviouslyCachedDuringFault.Requests}; 503s {r.Reads503DuringFault} (p99 {r.Reads503P99Ms:F0} ms, {r.Reads503WithoutRetryAfter} without Retry-After); STALE {r.Stale} (max age {(r.StaleMaxAgeS is { } s ? $"{s:F1} s" : "n/a")})");
        Console.WriteLine($"   older reads {r.OlderReads}/{r.ReadsChecked} (max lag {r.OlderMaxLagMs:F0} ms; by instance and X-Cache: {string.Join(", ", r.OlderByAnswer.Select(kv => $"{kv.Key} {kv.Value}"))}); STALE older than a write {r.StaleOlder} (max lag {r.StaleOlderMaxLagMs:F0} ms)");
        Console.WriteLine($"   views 202 {r.ViewsAcknowledged}, counted {r.ViewsCounted} (lost {r.ViewsLost}, extra {r.ViewsExtra}, unacknowledged attempts {r.ViewsUnacknowledged}); flush wait {r.FlushWaitS:F1} s");
        Console.WriteLine($"   recovery {(r.Recovered ? $"{r.RecoveryS:F1} s" : "not recovered")} after the fault ended");
    }
}
