namespace Shop.LoadLab;

/// <summary>A load run with the server-side figures measured around it.</summary>
public sealed record Measured(
    LoadResult Load,
    double SqlPerSecond,
    double RedisCommandsPerSecond,
    double ApiCpuShare,
    double RedisCpuShare,
    double MachineBusyShare,
    double RssMb,
    double PeakRssMb,
    double L1Entries,
    double AllocatedBytesPerRequest);

public sealed record ThroughputRow(string Config, string Description, Measured Saturated, Measured? Light, Measured? Open, Measured? Paced = null);

public sealed record BatchRow(int Ids, Measured Batch, Measured Singles, double MgetPerBatch, double GetPerBatch, double GetPerSingles, double MgetPerSingles);

public sealed record StampedeRow(string Mode, int Instances, int Requests, List<long> Loads, long Errors, double P50Ms, double MaxMs, Dictionary<string, long> CacheHeaders, List<long>? RawIndexScans = null, double ScansPerLoad = 1, List<long>? MetricLoads = null);

public sealed record ViewsResult(Measured Load, long Accepted, long RateLimited, double Flushes, double FlushTransactions, double FlushedViews, long PgTransactions, string Note);

public sealed record InvalidationResult(int Changes, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double MeanPolls, string? TestArtifact, double ServedP50Ms = double.NaN, double ServedP99Ms = double.NaN);

public sealed record SweepRow(string Parameter, string Value, Measured Load, double KeysInRedis, double RedisUsedMb, double Evicted, double IdealHitRate);

public sealed record SerializerRow(string Serializer, Measured RedisOnly, double AvgMemoryUsageBytes, double AvgValueBytes, double ListingMemoryUsageBytes, double ListingValueBytes);

/// <summary>Everything one `run` measured, written to loadlab.json.</summary>
public sealed class LabReport
{
    public string Date { get; set; } = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
    public string Machine { get; set; } = "";
    public string Commit { get; set; } = "";
    public Dictionary<string, string> Settings { get; set; } = [];
    public List<ThroughputRow> Throughput { get; set; } = [];
    public List<BatchRow> Batch { get; set; } = [];
    public List<StampedeRow> Stampede { get; set; } = [];
    public ViewsResult? Views { get; set; }
    public InvalidationResult? Invalidation { get; set; }
    public List<SweepRow> Sweep { get; set; } = [];
    public List<SerializerRow> Serializers { get; set; } = [];
    public List<string> Notes { get; set; } = [];
}
