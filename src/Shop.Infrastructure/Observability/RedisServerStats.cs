using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace Shop.Infrastructure.Observability;

/// <summary>
/// Reads Redis's own figures (INFO, SLOWLOG GET) from every primary the multiplexer knows, so the same code serves
/// a standalone server and a cluster. Each node is read in parallel and bounded by <see cref="Timeout"/>; a node
/// that does not answer is reported with its error instead of failing the whole report.
/// StackExchange.Redis lets INFO and SLOWLOG through only in admin mode; when the app's connection string does not
/// set allowAdmin=true, a second, diagnostics-only connection with admin mode is opened on first use (it sends
/// nothing but INFO and SLOWLOG GET).
/// </summary>
public sealed class RedisServerStats(IConnectionMultiplexer redis) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private const int MaxArgumentLength = 60;
    private readonly SemaphoreSlim _connect = new(1, 1);
    private ConnectionMultiplexer? _diagnostics;

    public async Task<RedisStats> ReadAsync(int slowlogCount, CancellationToken cancellationToken)
    {
        var servers = await PrimariesAsync(cancellationToken);
        var nodes = await Task.WhenAll(servers.Select(s => ReadNodeAsync(s, slowlogCount, cancellationToken)));
        return new RedisStats(Mode(servers), nodes);
    }

    /// <summary>The primaries (replicas are skipped; a node not connected is kept, to be reported as such).</summary>
    public async Task<IServer[]> PrimariesAsync(CancellationToken cancellationToken)
    {
        var connection = await AdminConnectionAsync(cancellationToken);
        return [.. connection.GetEndPoints().Select(e => connection.GetServer(e)).Where(s => !s.IsConnected || !s.IsReplica)];
    }

    /// <summary>
    /// The app's own connection when it allows admin commands; else the diagnostics one, opened (asynchronously)
    /// only once the app's connection is up, so an unreachable Redis costs no second connection attempt.
    /// </summary>
    private async Task<IConnectionMultiplexer> AdminConnectionAsync(CancellationToken cancellationToken)
    {
        if (_diagnostics is not null) return _diagnostics;
        var options = ConfigurationOptions.Parse(redis.Configuration);
        if (options.AllowAdmin || !redis.IsConnected) return redis;
        await _connect.WaitAsync(cancellationToken);
        try
        {
            if (_diagnostics is not null) return _diagnostics;
            options.AllowAdmin = true;
            options.AbortOnConnectFail = false;
            options.ClientName = (options.ClientName ?? "shop") + "-diag";
            return _diagnostics = await ConnectionMultiplexer.ConnectAsync(options);
        }
        finally
        {
            _connect.Release();
        }
    }

    public void Dispose()
    {
        _diagnostics?.Dispose();
        _connect.Dispose();
    }

    public static string Mode(IEnumerable<IServer> servers) =>
        servers.Any(s => s.IsConnected && s.ServerType == ServerType.Cluster) ? "cluster" : "standalone";

    public static async Task<RedisNodeStats> ReadNodeAsync(IServer server, int slowlogCount, CancellationToken cancellationToken)
    {
        var endpoint = Format(server.EndPoint);
        // Not connected: say so at once rather than queue commands until they time out.
        if (!server.IsConnected) return Failed(endpoint, false, "not connected");
        try
        {
            var info = Flatten(await server.InfoAsync().WaitAsync(Timeout, cancellationToken));
            IReadOnlyList<SlowlogEntry> slowlog = [];
            if (slowlogCount > 0)
            {
                var traces = await server.SlowlogGetAsync(slowlogCount).WaitAsync(Timeout, cancellationToken);
                slowlog = [.. traces.Select(t => new SlowlogEntry(
                    t.UniqueId, t.Time, t.Duration.TotalMilliseconds, Describe(t.Arguments)))];
            }
            var hits = Long(info, "keyspace_hits");
            var misses = Long(info, "keyspace_misses");
            return new RedisNodeStats(
                endpoint, true, null,
                Text(info, "redis_version"), Text(info, "role"), Long(info, "uptime_in_seconds"),
                hits, misses,
                hits + misses is > 0 ? Math.Round((double)hits!.Value / (hits.Value + misses!.Value), 4) : null,
                Long(info, "used_memory"), Text(info, "used_memory_human"),
                Long(info, "maxmemory"), Text(info, "maxmemory_policy"),
                Double(info, "mem_fragmentation_ratio"),
                Long(info, "evicted_keys"), Long(info, "expired_keys"), Long(info, "connected_clients"),
                slowlog);
        }
        catch (Exception ex) when (ex is RedisException or RedisCommandException or TimeoutException or ObjectDisposedException)
        {
            return Failed(endpoint, server.IsConnected, Reason(ex));
        }
    }

    /// <summary>
    /// Why a node could not be read, in words for an operator: Redis's own reply when it refused (NOPERM, LOADING, …),
    /// never a .NET type name or a client-library message (the API shows no internals, admin endpoints included).
    /// </summary>
    internal static string Reason(Exception ex) => ex switch
    {
        TimeoutException => $"no answer within {Timeout.TotalSeconds:0.#} s",
        RedisServerException or RedisCommandException => "refused: " + ex.Message.Split('\n')[0].Trim(),
        RedisConnectionException connection => $"connection failed ({connection.FailureType})",
        ObjectDisposedException => "connection closed",
        _ => "unreadable",
    };

    private static RedisNodeStats Failed(string endpoint, bool connected, string error) =>
        new(endpoint, connected, error, null, null, null, null, null, null, null, null, null, null, null, null, null, null, []);

    /// <summary>INFO's sections flattened into one field → value map.</summary>
    public static Dictionary<string, string> Flatten(IGrouping<string, KeyValuePair<string, string>>[] info)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in info)
        {
            foreach (var (key, value) in section) fields[key] = value;
        }
        return fields;
    }

    public static string Format(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "?",
    };

    private static string? Text(Dictionary<string, string> info, string key) => info.GetValueOrDefault(key);

    private static long? Long(Dictionary<string, string> info, string key) =>
        info.TryGetValue(key, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static double? Double(Dictionary<string, string> info, string key) =>
        info.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>The command with each argument cut to a readable length (values can be kilobytes of cached JSON).</summary>
    private static string Describe(RedisValue[] arguments)
    {
        var text = new StringBuilder();
        foreach (var argument in arguments)
        {
            if (text.Length > 0) text.Append(' ');
            var s = (string?)argument ?? "";
            foreach (var c in s.Length > MaxArgumentLength ? s[..MaxArgumentLength] : s) text.Append(char.IsControl(c) ? '·' : c);
            if (s.Length > MaxArgumentLength) text.Append('…');
            if (text.Length > 400) break;
        }
        return text.ToString();
    }
}
