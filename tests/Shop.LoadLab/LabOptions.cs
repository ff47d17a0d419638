using System.Globalization;

namespace Shop.LoadLab;

/// <summary>Command-line options (see <see cref="Usage"/>).</summary>
public sealed class LabOptions
{
    public const string Usage = """
        Shop load lab: HTTP load at live Shop.Api processes, one table per scenario.

          dotnet Shop.LoadLab.dll run [options]      start API processes per scenario and measure (scripts/bench.sh)
          dotnet Shop.LoadLab.dll smoke --target URL  a few seconds against a running API; exit 1 on errors (CI)
          dotnet Shop.LoadLab.dll report [--out DIR]  REPORT.md and charts from DIR/loadlab.json and the BenchmarkDotNet CSVs
          dotnet Shop.LoadLab.dll chaos [options]    faults under load, two instances (scripts/chaos.sh; docs/chaos.md)

        run options (defaults in brackets):
          --api-dll PATH        Shop.Api.dll to start [src/Shop.Api/bin/Release/net10.0/Shop.Api.dll]
          --pg CONNSTRING       the benchmark database (seeded with the large seed on first start) [Database=shop_bench on 127.0.0.1:15432]
          --redis HOST:PORT     a Redis server of the lab's own: it is FLUSHALLed and reconfigured [127.0.0.1:16390]
          --scenarios LIST      throughput,batch,stampede,views,invalidation,sweep,serializers [all]
          --quick               shorter runs (about 4 minutes in all)
          --duration S          measured seconds per load run [10; quick 4]
          --connections N       closed-loop connections at saturation [16]
          --zipf S              Zipf exponent [1.0]
          --products N          product ids drawn from 1..N [100000]
          --warm-draws N        Zipf draws sent as batch reads before measuring (fills the caches) [1000000; quick 300000]
          --out DIR             results directory [benchmarks/results]
          --merge               keep the sections of DIR/loadlab.json that this run does not measure (re-run a part)

        chaos options (besides --api-dll, --pg, --redis, --zipf, --products, --out [artifacts/chaos]):
          --scenarios LIST      kill,pg,redis,latency,failover,primary-kill [all]
          --short               3 s outages and short phases, no primary-kill (about 2 minutes)
          --assert              exit 1 when a scenario breaks a rule (500s, views lost or counted twice, slow recovery,
                                reads older than the bound; pg: a previously cached read not answered, slow 503s)
          --cluster NODES       the Redis Cluster of the failover scenario (host:port,host:port,...)
          --fault-script PATH   `bash PATH fault NAME` stops/starts the lab's PostgreSQL and Redis [scripts/chaos.sh]
          --outage S            seconds a dependency stays down [30; short 3]
          --degraded-l1-ttl S   Cache:DegradedL1Ttl of the instances [5, the default]; with the subscriber's 0.5 s check it
                                is the --assert bound on how long a (not STALE) read may lag an acknowledged write
          --breaker-open S      Cache:BreakerOpenDuration of the instances [5, the default]; also the --assert bound on
                                recovery (fault's end to the last failed request)
          --doc PATH            the Markdown table [docs/chaos.md; short artifacts/chaos/chaos-short.md]
          --command-line TEXT   the command to print in the table's header
        """;

    public string Command { get; private set; } = "run";
    public string ApiDll { get; private set; } = "src/Shop.Api/bin/Release/net10.0/Shop.Api.dll";
    public string Postgres { get; private set; } = "Host=127.0.0.1;Port=15432;Database=shop_bench;Username=shop;Password=shop";
    public string Redis { get; private set; } = "127.0.0.1:16390";
    public string? Target { get; private set; }
    public HashSet<string> Scenarios { get; private set; } = new(StringComparer.OrdinalIgnoreCase)
        { "throughput", "batch", "stampede", "views", "invalidation", "sweep", "serializers" };
    public bool Quick { get; private set; }
    public double Duration { get; private set; } = 10;
    public int Connections { get; private set; } = 16;
    public double ZipfS { get; private set; } = 1.0;
    public int Products { get; private set; } = 100_000;
    public int WarmDraws { get; private set; } = 1_000_000;
    public string Out { get; private set; } = "benchmarks/results";
    public bool Merge { get; private set; }
    public bool ScenariosSet { get; private set; }
    public bool ShortRun { get; private set; }
    public bool Assert { get; private set; }
    public string? Cluster { get; private set; }
    public string FaultScript { get; private set; } = "scripts/chaos.sh";
    public double? Outage { get; private set; }
    public double DegradedL1Ttl { get; private set; } = 5;
    public double BreakerOpen { get; private set; } = 5;
    public string? Doc { get; private set; }
    public string? CommandLine { get; private set; }

    public TimeSpan RunTime => TimeSpan.FromSeconds(Duration);

    public static LabOptions Parse(string[] args)
    {
        var o = new LabOptions();
        var durationSet = false;
        var warmSet = false;
        var outSet = false;
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith('-')) o.Command = args[i++];
        string Next(string name) => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
        for (; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--api-dll": o.ApiDll = Next("--api-dll"); break;
                case "--pg": o.Postgres = Next("--pg"); break;
                case "--redis": o.Redis = Next("--redis"); break;
                case "--target": o.Target = Next("--target").TrimEnd('/'); break;
                case "--scenarios": o.Scenarios = new(Next("--scenarios").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase); o.ScenariosSet = true; break;
                case "--short": o.ShortRun = true; break;
                case "--assert": o.Assert = true; break;
                case "--cluster": o.Cluster = Next("--cluster"); break;
                case "--fault-script": o.FaultScript = Next("--fault-script"); break;
                case "--outage": o.Outage = double.Parse(Next("--outage"), CultureInfo.InvariantCulture); break;
                case "--degraded-l1-ttl": o.DegradedL1Ttl = double.Parse(Next("--degraded-l1-ttl"), CultureInfo.InvariantCulture); break;
                case "--breaker-open": o.BreakerOpen = double.Parse(Next("--breaker-open"), CultureInfo.InvariantCulture); break;
                case "--doc": o.Doc = Next("--doc"); break;
                case "--command-line": o.CommandLine = Next("--command-line"); break;
                case "--quick": o.Quick = true; break;
                case "--duration": o.Duration = double.Parse(Next("--duration"), CultureInfo.InvariantCulture); durationSet = true; break;
                case "--connections": o.Connections = int.Parse(Next("--connections"), CultureInfo.InvariantCulture); break;
                case "--zipf": o.ZipfS = double.Parse(Next("--zipf"), CultureInfo.InvariantCulture); break;
                case "--products": o.Products = int.Parse(Next("--products"), CultureInfo.InvariantCulture); break;
                case "--warm-draws": o.WarmDraws = int.Parse(Next("--warm-draws"), CultureInfo.InvariantCulture); warmSet = true; break;
                case "--out": o.Out = Next("--out"); outSet = true; break;
                case "--merge": o.Merge = true; break;
                case "-h" or "--help": o.Command = "help"; break;
                default: throw new ArgumentException($"Unknown option {args[i]}\n\n{Usage}");
            }
        }
        if (o.Quick && !durationSet) o.Duration = 4;
        if (o.Quick && !warmSet) o.WarmDraws = 300_000;
        if (o.Command == "chaos" && !outSet) o.Out = Path.Combine("artifacts", "chaos");
        return o;
    }
}
