using System.Diagnostics;
using System.Net;
using HdrHistogram;

namespace Shop.LoadLab;

/// <summary>What one operation (one request, or several for "N single GETs") returned.</summary>
public readonly record struct OpOutcome(bool Ok, string? Cache, int Requests = 1);

/// <summary>One operation of a load: sends its request(s) with the client and reports the outcome.</summary>
public delegate ValueTask<OpOutcome> Operation(HttpClient client, Random random);

/// <summary>The figures of one load run. Latencies in milliseconds.</summary>
public sealed record LoadResult(
    string Name,
    string Mode,
    int Connections,
    double TargetRate,
    double Seconds,
    long Operations,
    long Requests,
    long Errors,
    double OpsPerSecond,
    double RequestsPerSecond,
    double MeanMs,
    double P50Ms,
    double P90Ms,
    double P95Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    double ServiceP50Ms,
    double ServiceP99Ms,
    Dictionary<string, long> CacheHeaders,
    double ClientCpuSeconds,
    double ClientCpuShare,
    long[] PerSecondOps,
    long[] PerSecondHits)
{
    public double HitRate(string level) => Operations == 0 ? 0 : (double)CacheHeaders.GetValueOrDefault(level) / CacheHeaders.Values.Sum();

    public double AnyHitRate => CacheHeaders.Count == 0 ? 0 : (double)(CacheHeaders.GetValueOrDefault("L1") + CacheHeaders.GetValueOrDefault("L2")) / Math.Max(1, CacheHeaders.Values.Sum());
}

/// <summary>
/// The load generator: HttpClient over SocketsHttpHandler with a fixed connection pool, so it costs little CPU (it
/// shares the two cores with the API, PostgreSQL and Redis, and reports its own share).
/// Closed loop: N workers, each sends its next request when the previous one answered (throughput at saturation,
/// latency at light load). Open loop: a constant rate, each worker with its own schedule (as wrk2); a request that
/// starts late because the worker was still waiting for the server is timed from when it should have been sent, which
/// corrects coordinated omission. A request late only because the timer fired late (about 1 ms granularity here) is
/// timed from when it was sent: that slack is the generator's, not the server's.
/// </summary>
public static class LoadRunner
{
    public static HttpClient CreateClient(string baseUrl, int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestVersion = HttpVersion.Version11,
        };

    /// <summary>GET a path, drain the body, read X-Cache.</summary>
    public static async ValueTask<OpOutcome> GetAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            await using (var body = await response.Content.ReadAsStreamAsync()) await body.CopyToAsync(Stream.Null);
            var cache = response.Headers.TryGetValues("X-Cache", out var values) ? values.FirstOrDefault() : null;
            return new OpOutcome(response.IsSuccessStatusCode, cache);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return new OpOutcome(false, null);
        }
    }

    public static Task<LoadResult> ClosedAsync(string name, HttpClient client, int connections, TimeSpan duration, Operation op, int seed = 1) =>
        RunAsync(name, client, connections, duration, op, seed, rate: 0);

    public static Task<LoadResult> OpenAsync(string name, HttpClient client, int connections, double rate, TimeSpan duration, Operation op, int seed = 1) =>
        RunAsync(name, client, connections, duration, op, seed, rate);

    private static async Task<LoadResult> RunAsync(string name, HttpClient client, int connections, TimeSpan duration, Operation op, int seed, double rate)
    {
        var seconds = (int)Math.Ceiling(duration.TotalSeconds);
        var perSecondOps = new long[seconds + 1];
        var perSecondHits = new long[seconds + 1];
        var histograms = new LongHistogram[connections];
        var service = new LongHistogram[connections];
        var headers = new Dictionary<string, long>[connections];
        long operations = 0, requests = 0, errors = 0;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        using var progress = Progress.Start(name, duration, () => Interlocked.Read(ref operations), () => Interlocked.Read(ref errors));

        async Task Worker(int w)
        {
            var random = new Random(seed * 7919 + w);
            var h = histograms[w] = new LongHistogram(MaxMicros, 3);
            var s = service[w] = new LongHistogram(MaxMicros, 3);
            var counts = headers[w] = new Dictionary<string, long>(StringComparer.Ordinal);
            // Open loop: this worker's schedule is every connections/rate seconds, workers staggered evenly.
            var interval = rate > 0 ? connections / rate * Stopwatch.Frequency : 0;
            long previousDone = start;
            for (long i = 0; ; i++)
            {
                long sendAt;
                if (rate > 0)
                {
                    var intended = (long)(start + (interval * w / connections) + (interval * i));
                    if (intended >= end) break;
                    var wait = intended - Stopwatch.GetTimestamp();
                    if (wait > 0) await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                    // Late because the server kept this worker busy: time from the schedule (coordinated omission).
                    // Late only because the timer fired late: time from the send.
                    sendAt = previousDone > intended ? intended : Stopwatch.GetTimestamp();
                }
                else
                {
                    sendAt = Stopwatch.GetTimestamp();
                    if (sendAt >= end) break;
                }
                var sent = Stopwatch.GetTimestamp();
                var outcome = await op(client, random);
                var done = Stopwatch.GetTimestamp();
                previousDone = done;
                h.RecordValue(Math.Max(1, (done - sendAt) * 1_000_000 / Stopwatch.Frequency));
                s.RecordValue(Math.Max(1, (done - sent) * 1_000_000 / Stopwatch.Frequency));
                Interlocked.Increment(ref operations);
                Interlocked.Add(ref requests, outcome.Requests);
                var second = (int)Math.Min(seconds, (done - start) / Stopwatch.Frequency);
                Interlocked.Increment(ref perSecondOps[second]);
                if (!outcome.Ok) Interlocked.Increment(ref errors);
                if (outcome.Cache is { } c)
                {
                    counts[c] = counts.GetValueOrDefault(c) + 1;
                    if (c is "L1" or "L2") Interlocked.Increment(ref perSecondHits[second]);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(w => Task.Run(() => Worker(w))));
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;

        var all = new LongHistogram(MaxMicros, 3);
        var allService = new LongHistogram(MaxMicros, 3);
        foreach (var h in histograms) all.Add(h);
        foreach (var h in service) allService.Add(h);
        var merged = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var d in headers)
        {
            foreach (var (k, v) in d) merged[k] = merged.GetValueOrDefault(k) + v;
        }
        double Ms(LongHistogram h, double p) => h.TotalCount == 0 ? 0 : h.GetValueAtPercentile(p) / 1000.0;
        return new LoadResult(name, rate > 0 ? "open" : "closed", connections, rate, elapsed, operations, requests, errors,
            operations / elapsed, requests / elapsed, all.TotalCount == 0 ? 0 : all.GetMean() / 1000.0,
            Ms(all, 50), Ms(all, 90), Ms(all, 95), Ms(all, 99), Ms(all, 99.9), all.TotalCount == 0 ? 0 : all.GetMaxValue() / 1000.0,
            Ms(allService, 50), Ms(allService, 99), merged, cpu, cpu / elapsed / Environment.ProcessorCount,
            perSecondOps[..seconds], perSecondHits[..seconds]);
    }

    /// <summary>The histograms hold microseconds, up to 60 s.</summary>
    private const long MaxMicros = 60_000_000;
}

/// <summary>A progress line while a load runs: rewritten in place on a terminal, every 5 s into a log.</summary>
public sealed class Progress : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;

    private Progress(string name, TimeSpan duration, Func<long> operations, Func<long> errors)
    {
        var tty = !Console.IsOutputRedirected;
        _task = Task.Run(async () =>
        {
            var started = Stopwatch.GetTimestamp();
            long last = 0;
            var lastAt = started;
            try
            {
                while (true)
                {
                    await Task.Delay(tty ? 1000 : 5000, _stop.Token);
                    var now = Stopwatch.GetTimestamp();
                    var ops = operations();
                    var rate = (ops - last) / ((now - lastAt) / (double)Stopwatch.Frequency);
                    (last, lastAt) = (ops, now);
                    var line = $"    [{name}] {Stopwatch.GetElapsedTime(started).TotalSeconds,4:F0}/{duration.TotalSeconds:F0} s  {rate,9:N0} op/s  errors {errors()}";
                    if (tty) Console.Write("\r" + line.PadRight(100));
                    else Console.WriteLine(line);
                }
            }
            catch (OperationCanceledException)
            {
                if (tty) Console.Write("\r" + new string(' ', 100) + "\r");
            }
        });
    }

    public static Progress Start(string name, TimeSpan duration, Func<long> operations, Func<long> errors) => new(name, duration, operations, errors);

    public void Dispose()
    {
        _stop.Cancel();
        _task.Wait();
        _stop.Dispose();
    }
}
