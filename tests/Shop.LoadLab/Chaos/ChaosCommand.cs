using System.Diagnostics;
using System.Text.Json;

namespace Shop.LoadLab.Chaos;

/// <summary>
/// `Shop.LoadLab chaos`: every scenario in turn, then chaos.json and the Markdown table. Exit codes: 0 the lab ran (and,
/// with --assert, every scenario kept the rules); 1 a rule broken under --assert; 3 a scenario could not be run at all.
/// </summary>
public static class ChaosCommand
{
    public static async Task<int> RunAsync(LabOptions options, string machine, string commit)
    {
        var started = Stopwatch.GetTimestamp();
        var selfTest = ChaosSelfTest.Run();
        if (selfTest.Count > 0)
        {
            foreach (var f in selfTest) Console.Error.WriteLine($"chaos lab self-test FAILED: {f}");
            return 3;
        }
        Console.WriteLine("chaos lab self-test: the analysis gives the known answers on hand-made events");
        if (!File.Exists(options.ApiDll))
        {
            Console.Error.WriteLine($"{options.ApiDll} not found: build first (dotnet build src/Shop.Api -c Release)");
            return 2;
        }
        var run = new ChaosRun { CommandLine = options.CommandLine ?? "dotnet Shop.LoadLab.dll chaos", Machine = machine, Commit = commit };
        var lab = new ChaosLab(options);
        run.Settings = ChaosLab.Settings(options, lab);
        var scenarios = options.ScenariosSet ? [.. options.Scenarios]
            : options.ShortRun ? [.. ChaosLab.AllScenarios.Where(s => s != "primary-kill")] : ChaosLab.AllScenarios;
        Console.WriteLine($"Shop chaos lab ({run.Settings.Mode}): {string.Join(", ", scenarios)}; commit {commit}");
        Directory.CreateDirectory(options.Out);
        var json = Path.Combine(options.Out, "chaos.json");
        var doc = options.Doc ?? (options.ShortRun ? Path.Combine(options.Out, "chaos-short.md") : Path.Combine("docs", "chaos.md"));

        await lab.PrepareAsync();
        var couldNotRun = 0;
        foreach (var scenario in scenarios)
        {
            try
            {
                run.Scenarios.Add(await lab.RunAsync(scenario));
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException or ArgumentException or StackExchange.Redis.RedisException or Npgsql.NpgsqlException)
            {
                couldNotRun++;
                run.NotRun.Add($"**{scenario}**: not run: {ex.Message.Split('\n')[0]}");
                Console.WriteLine($"   {scenario} could not be run: {ex.Message}");
            }
            // Written after every scenario, so an interrupted run keeps what it measured.
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(run, ReportWriter.JsonOptions));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(doc))!);
        await File.WriteAllTextAsync(doc, ChaosReport.Markdown(run));
        Console.WriteLine($"\nchaos lab done in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s: {doc}, {json}");

        var broken = run.Scenarios.Select(r => (r.Name, Rules: ChaosRun.Violations(r, run.Settings))).Where(x => x.Rules.Count > 0).ToList();
        foreach (var (name, rules) in broken) Console.WriteLine($"  {(options.Assert ? "FAIL" : "would fail --assert")} {name}: {string.Join("; ", rules)}");
        if (couldNotRun > 0) return 3;
        return options.Assert && broken.Count > 0 ? 1 : 0;
    }
}
