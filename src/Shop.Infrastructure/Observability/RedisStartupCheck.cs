using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Shop.Infrastructure.Observability;

/// <summary>
/// Logs once at startup what this service runs against: Redis version, standalone or cluster, and each primary's
/// memory limit and eviction policy, with a warning when a setting is wrong for a cache (no maxmemory, or
/// maxmemory-policy noeviction). Runs in the background, so a Redis that is down delays nothing (the app fails
/// open); it waits at most <see cref="ConnectWait"/> for a connection, then logs that it could not check.
/// </summary>
internal sealed partial class RedisStartupCheck(
    IConnectionMultiplexer redis, RedisServerStats stats, TimeProvider clock, ILogger<RedisStartupCheck> logger) : BackgroundService
{
    public static readonly TimeSpan ConnectWait = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield(); // never delay the host's start
            var deadline = clock.GetUtcNow() + ConnectWait;
            while (!redis.IsConnected && clock.GetUtcNow() < deadline) await Task.Delay(TimeSpan.FromMilliseconds(100), clock, stoppingToken);
            if (!redis.IsConnected)
            {
                LogUnreachable(ConnectWait.TotalSeconds);
                return;
            }

            var servers = await stats.PrimariesAsync(stoppingToken);
            var mode = RedisServerStats.Mode(servers);
            foreach (var server in servers)
            {
                var node = await RedisServerStats.ReadNodeAsync(server, 0, stoppingToken);
                if (node.Error is not null)
                {
                    LogInfoFailed(node.Endpoint, node.Error);
                    continue;
                }
                LogNode(node.Version ?? "?", mode, servers.Length, node.Endpoint, node.UsedMemoryHuman ?? "?",
                    node.MaxMemory is > 0 ? $"{node.MaxMemory.Value / (1024.0 * 1024.0):F0} MB" : "not set", node.MaxMemoryPolicy ?? "?");
                Check(node);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // host stopping
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A diagnostic must never stop the host (an unhandled BackgroundService exception does).
            LogCheckFailed(ex.GetType().Name, ex.Message);
        }
    }

    /// <summary>The warnings, one per problem, worded for what they mean for this service.</summary>
    private void Check(RedisNodeStats node)
    {
        if (node.MaxMemory == 0) LogNoMaxMemory(node.Endpoint);
        if (string.Equals(node.MaxMemoryPolicy, "noeviction", StringComparison.OrdinalIgnoreCase))
            LogNoEviction(node.Endpoint, node.MaxMemory is > 0 ? $"{node.MaxMemory.Value / (1024.0 * 1024.0):F1} MB" : "maxmemory");
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Redis {Version}, {Mode} ({Primaries} primary node(s)); {Endpoint}: used {Used}, maxmemory {MaxMemory}, maxmemory-policy {Policy}")]
    private partial void LogNode(string version, string mode, int primaries, string endpoint, string used, string maxMemory, string policy);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Redis {Endpoint}: maxmemory is not set. As a cache it will grow until the machine or container runs out of memory, and then the kernel kills it (every cached entry and every page view not yet flushed is lost) instead of Redis evicting cold entries. Set maxmemory (about 75 % of the memory limit) with maxmemory-policy volatile-lru; see db/redis/redis.conf.")]
    private partial void LogNoMaxMemory(string endpoint);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Redis {Endpoint}: maxmemory-policy is noeviction. Once Redis reaches {MaxMemory} it refuses every write with OOM: Shop keeps answering (reads fail open to PostgreSQL) but caches nothing new, so the hit rate falls toward 0 as entries expire and PostgreSQL takes the whole load; page-view increments are refused too. Use volatile-lru (every cache key has a TTL, the page-view counters none); see db/redis/redis.conf.")]
    private partial void LogNoEviction(string endpoint, string maxMemory);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Redis did not answer within {Seconds} s of startup: serving from L1 and PostgreSQL; version and memory policy not checked")]
    private partial void LogUnreachable(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis startup check failed ({Error}: {Message}); memory policy not checked")]
    private partial void LogCheckFailed(string error, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis {Endpoint}: INFO failed ({Error}); memory policy not checked")]
    private partial void LogInfoFailed(string endpoint, string error);
}
