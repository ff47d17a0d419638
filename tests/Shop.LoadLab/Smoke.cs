using System.Diagnostics;

namespace Shop.LoadLab;

/// <summary>
/// A few seconds against an API that is already running (scripts/test.sh's): closed loop, open loop and /health/live,
/// each checked (no errors, requests answered, X-Cache present). Keeps the load generator from rotting unseen.
/// </summary>
public static class Smoke
{
    public static async Task<int> RunAsync(LabOptions options)
    {
        if (options.Target is null)
        {
            Console.Error.WriteLine("smoke needs --target URL");
            return 2;
        }
        var started = Stopwatch.GetTimestamp();
        var zipf = new Zipf(options.Products, options.ZipfS);
        using var client = LoadRunner.CreateClient(options.Target, 4);
        Operation product = (c, r) => LoadRunner.GetAsync(c, "/api/products/" + zipf.Next(r));
        var failures = new List<string>();
        void Check(LoadResult r, bool cached)
        {
            Console.WriteLine($"  {r.Name,-28} {r.Mode,-6} {r.OpsPerSecond,8:N0} op/s  p50 {r.P50Ms:F2} ms  p99 {r.P99Ms:F2} ms  errors {r.Errors}  "
                + string.Join(" ", r.CacheHeaders.Select(h => $"{h.Key}={h.Value}")) + $"  generator CPU {r.ClientCpuShare:P0}");
            if (r.Operations == 0) failures.Add($"{r.Name}: no request completed");
            if (r.Errors > 0) failures.Add($"{r.Name}: {r.Errors} errors");
            if (cached && r.CacheHeaders.Values.Sum() < r.Operations) failures.Add($"{r.Name}: responses without X-Cache");
        }
        var seconds = TimeSpan.FromSeconds(Math.Min(options.Duration, 2));
        Check(await LoadRunner.ClosedAsync("products (closed loop)", client, 4, seconds, product), cached: true);
        Check(await LoadRunner.OpenAsync("products (open loop 200/s)", client, 4, 200, TimeSpan.FromSeconds(1), product), cached: true);
        Check(await LoadRunner.ClosedAsync("/health/live", client, 4, TimeSpan.FromSeconds(1), (c, _) => LoadRunner.GetAsync(c, "/health/live")), cached: false);
        foreach (var f in failures) Console.WriteLine("  FAIL " + f);
        Console.WriteLine($"load lab smoke: {(failures.Count == 0 ? "ok" : "failed")} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        return failures.Count == 0 ? 0 : 1;
    }
}
