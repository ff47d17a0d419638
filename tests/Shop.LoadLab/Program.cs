using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Shop.LoadLab;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
ThreadPool.SetMinThreads(64, 64); // 1,000 concurrent requests in the stampede scenario should not wait for thread injection

LabOptions options;
try
{
    options = LabOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

switch (options.Command)
{
    case "help":
        Console.WriteLine(LabOptions.Usage);
        return 0;
    case "smoke":
        return await Smoke.RunAsync(options);
    case "report":
        ReportWriter.Write(options.Out);
        return 0;
    case "run":
        return await RunAsync(options);
    case "chaos":
        return await Shop.LoadLab.Chaos.ChaosCommand.RunAsync(options, Machine(),
            Git("rev-parse --short HEAD") + (Git("status --porcelain -- src") is { Length: > 0 } ? " + uncommitted changes in src/" : ""));
    default:
        Console.Error.WriteLine($"Unknown command {options.Command}\n\n{LabOptions.Usage}");
        return 2;
}

static async Task<int> RunAsync(LabOptions options)
{
    var started = Stopwatch.GetTimestamp();
    var previousPath = Path.Combine(options.Out, "loadlab.json");
    LabReport? previous = options.Merge && File.Exists(previousPath)
        ? JsonSerializer.Deserialize<LabReport>(File.ReadAllText(previousPath), ReportWriter.JsonOptions)
        : null;
    var report = new LabReport
    {
        Machine = Machine(),
        Commit = Git("rev-parse --short HEAD") + (Git("status --porcelain -- src") is { Length: > 0 } ? " + uncommitted changes in src/" : ""),
        Settings = new()
        {
            ["mode"] = options.Quick ? "quick" : "full",
            ["duration_s"] = options.Duration.ToString(CultureInfo.InvariantCulture),
            ["connections"] = options.Connections.ToString(CultureInfo.InvariantCulture),
            ["zipf_s"] = options.ZipfS.ToString(CultureInfo.InvariantCulture),
            ["products"] = options.Products.ToString(CultureInfo.InvariantCulture),
            ["warm_draws"] = options.WarmDraws.ToString(CultureInfo.InvariantCulture),
            ["scenarios"] = string.Join(",", options.Scenarios),
        },
    };
    if (previous is not null)
    {
        // Sections this run does not measure again are kept, and say so.
        bool Again(string scenario) => options.Scenarios.Contains(scenario);
        if (!Again("throughput")) report.Throughput = previous.Throughput;
        if (!Again("batch") || !Again("throughput")) report.Batch = previous.Batch;
        if (!Again("views") || !Again("throughput")) report.Views = previous.Views;
        if (!Again("stampede")) report.Stampede = previous.Stampede;
        if (!Again("invalidation")) report.Invalidation = previous.Invalidation;
        if (!Again("sweep")) report.Sweep = previous.Sweep;
        if (!Again("serializers")) report.Serializers = previous.Serializers;
        report.Notes.AddRange(previous.Notes.Where(n => !n.StartsWith("Database ready", StringComparison.Ordinal)));
        report.Notes.Add($"Merged run: {string.Join(", ", options.Scenarios)} measured {report.Date}; the other sections come from the run of {previous.Date} ({previous.Settings.GetValueOrDefault("mode")}).");
    }
    Console.WriteLine($"Shop load lab — {report.Machine}; commit {report.Commit}; {string.Join(", ", report.Settings.Select(s => $"{s.Key}={s.Value}"))}");
    if (!File.Exists(options.ApiDll))
    {
        Console.Error.WriteLine($"{options.ApiDll} not found: build first (dotnet build src/Shop.Api -c Release)");
        return 2;
    }
    await using var pg = new PgProbe(options.Postgres);
    await using var redis = await RedisProbe.ConnectAsync(options.Redis);
    var lab = new Lab(options, pg, redis, report);
    Directory.CreateDirectory(options.Out);
    var json = Path.Combine(options.Out, "loadlab.json");
    async Task Step(string name, Func<Task> step)
    {
        if (!options.Scenarios.Contains(name)) return;
        try
        {
            await step();
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException or JsonException)
        {
            report.Notes.Add($"{name}: failed: {ex.Message.Split('\n')[0]}");
            Console.WriteLine($"  {name} FAILED: {ex.Message}");
        }
        // Written after every scenario, so an interrupted run keeps what it measured.
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, ReportWriter.JsonOptions));
    }

    await lab.PrepareAsync();
    await Step("throughput", lab.ThroughputAsync);
    await Step("stampede", lab.StampedeAsync);
    await Step("invalidation", lab.InvalidationAsync);
    await Step("sweep", lab.SweepAsync);
    await Step("serializers", lab.SerializersAsync);
    Console.WriteLine($"\nload lab done in {Stopwatch.GetElapsedTime(started).TotalMinutes:F1} min: {json}");
    return 0;
}

static string Machine()
{
    var cpu = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
        : "?";
    var memKb = File.Exists("/proc/meminfo")
        ? double.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)
        : 0;
    return $"{cpu}, {Environment.ProcessorCount} cores, {memKb / 1048576:F0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}

static string Git(string arguments)
{
    try
    {
        using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return output;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "";
    }
}
