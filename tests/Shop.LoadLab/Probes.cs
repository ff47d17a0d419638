using System.Globalization;
using Npgsql;
using StackExchange.Redis;

namespace Shop.LoadLab;

/// <summary>PostgreSQL counters of the benchmark database (pg_stat_database, pg_stat_user_tables).</summary>
public sealed class PgProbe(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    /// <summary>Transactions committed + rolled back in this database: every autocommit SQL statement is one.</summary>
    public Task<long> TransactionsAsync() =>
        ScalarAsync("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");

    /// <summary>Index scans of the products table: one per product-page load (its primary-key lookup).</summary>
    public Task<long> ProductIndexScansAsync() =>
        ScalarAsync("SELECT coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'products'");

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = _source.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = _source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A busy backend reports its counters about once a second, but one that goes idle may hold them for up to 10 s
    /// (PostgreSQL 15's idle stats interval): wait that out before reading counts that must be exact.
    /// </summary>
    public static Task SettleAsync(bool exact = false) => Task.Delay(exact ? 11_000 : 1200);

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}

/// <summary>Redis INFO figures (the lab's own Redis server, so its counters are the API's alone).</summary>
public sealed class RedisProbe : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;

    private RedisProbe(ConnectionMultiplexer redis) => _redis = redis;

    public static async Task<RedisProbe> ConnectAsync(string configuration) =>
        new(await ConnectionMultiplexer.ConnectAsync(configuration + ",allowAdmin=true,abortConnect=false"));

    public IDatabase Db => _redis.GetDatabase();

    public IServer Server => _redis.GetServers()[0];

    public async Task<Dictionary<string, double>> InfoAsync()
    {
        var text = (string?)await Db.ExecuteAsync("INFO", "everything") ?? "";
        var info = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue;
            var key = line[..colon];
            var value = line[(colon + 1)..];
            if (key.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                // cmdstat_get:calls=12,usec=34,... -> cmdstat_get.calls
                foreach (var part in value.Split(','))
                {
                    var eq = part.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0 && double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) info[$"{key}.{part[..eq]}"] = v;
                }
            }
            else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                info[key] = number;
            }
        }
        return info;
    }

    public async Task FlushAllAsync() => await Db.ExecuteAsync("FLUSHALL");

    public async Task ConfigSetAsync(string name, string value) => await Db.ExecuteAsync("CONFIG", "SET", name, value);

    public async Task ResetStatsAsync() => await Db.ExecuteAsync("CONFIG", "RESETSTAT");

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}

/// <summary>A scrape of the API's Prometheus endpoint (/metrics): sums of a metric's series, optionally filtered by a label.</summary>
public sealed class MetricsScrape
{
    private readonly List<(string Name, string Labels, double Value)> _samples = [];

    public static async Task<MetricsScrape?> ReadAsync(HttpClient client, string baseUrl)
    {
        try
        {
            var text = await client.GetStringAsync(baseUrl + "/metrics");
            var scrape = new MetricsScrape();
            foreach (var raw in text.Split('\n'))
            {
                if (raw.Length == 0 || raw[0] == '#') continue;
                var brace = raw.IndexOf('{', StringComparison.Ordinal);
                var space = raw.LastIndexOf(' ');
                if (space < 0) continue;
                // "name{labels} value [timestamp]" or "name value"
                var parts = raw.Split(' ');
                var valueText = raw.Contains('}', StringComparison.Ordinal) ? raw[(raw.LastIndexOf('}') + 2)..].Split(' ')[0] : parts[1];
                if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
                var name = brace > 0 ? raw[..brace] : parts[0];
                var labels = brace > 0 ? raw[(brace + 1)..raw.LastIndexOf('}')] : "";
                scrape._samples.Add((name, labels, value));
            }
            return scrape;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public bool Has(string name) => _samples.Any(s => s.Name == name);

    public double Sum(string name, string? labelContains = null) =>
        _samples.Where(s => s.Name == name && (labelContains is null || s.Labels.Contains(labelContains, StringComparison.Ordinal))).Sum(s => s.Value);

    /// <summary>The first metric whose name starts with one of the prefixes (exporters differ in unit suffixes).</summary>
    public double SumFirst(params string[] names) => names.Where(Has).Select(n => Sum(n)).FirstOrDefault();
}
