using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Optional (<c>Cache:KeyspaceNotifications</c>): invalidation driven by Redis itself. Subscribes to keyspace
/// notifications for this deployment's keys, so a DEL from redis-cli, an expiry or an eviction drops the key from
/// this instance's L1 too, not only the app's own writes. Guarantees: changes made outside the app reach L1 within
/// the pub/sub latency while subscribed. Does not: cover SET/overwrites made outside the app (only deletions,
/// expiries and evictions are subscribed, to keep the event volume down). Costs: Redis publishes every
/// del/expire/evict event in the database to every instance, CPU and bandwidth that grow with the write and
/// expiry rate. On Redis Cluster keyspace events are node-local (unlike ordinary pub/sub), and StackExchange.Redis
/// sends a subscription to the one node that owns the channel name's hash slot. So one equivalent pattern is
/// subscribed per primary: <c>…:*</c>, <c>…:**</c>, <c>…:***</c> match the same keys but hash to different slots;
/// for each primary we pick a variant whose slot it owns. After a failover the promoted replica owns the same
/// slots, so the client resubscribes the same variant there and coverage holds.
/// </summary>
public sealed partial class KeyspaceInvalidation(
    IConnectionMultiplexer redis, L1Cache l1, RedisKeyspace keyspace, ILogger<KeyspaceInvalidation> logger)
    : BackgroundService
{
    // K = keyspace channel, g = generic commands (DEL, UNLINK, RENAME…), x = expired, e = evicted.
    private const string Events = "Kgxe";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var database = redis.GetDatabase().Database;
        var prefix = $"__keyspace@{database}__:";
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var servers = redis.GetEndPoints().Select(e => redis.GetServer(e)).Where(s => s.IsConnected).ToArray();
                foreach (var server in servers)
                {
                    // Replicas too: after a failover the promoted one must already publish the events.
                    await server.ConfigSetAsync("notify-keyspace-events", Events);
                }
                foreach (var pattern in Patterns(prefix + keyspace.Root, servers))
                {
                    await redis.GetSubscriber().SubscribeAsync(pattern, (channel, _) =>
                    {
                        // L1 holds logical keys: strip "__keyspace@0__:" and the deployment's "shop:v1:".
                        var key = channel.ToString()[(prefix.Length + keyspace.Root.Length)..];
                        // A deletion, expiry or eviction does not make what a load read from PostgreSQL stale, so it
                        // only drops the entry; it does not move L1's epoch (which would refuse concurrent fills of
                        // every key, and locks, leases and page-view batches come and go all the time).
                        l1.Remove(key);
                    });
                    LogEnabled(Events, pattern.ToString(), redis.GetSubscriber().SubscribedEndpoint(pattern)?.ToString() ?? "?");
                }
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRetry(ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>One pattern on a standalone server; on a cluster, one equivalent pattern per primary (see the summary).</summary>
    private IEnumerable<RedisChannel> Patterns(string keyPrefix, IServer[] servers)
    {
        var cluster = servers.FirstOrDefault(s => s.ServerType == ServerType.Cluster)?.ClusterConfiguration;
        if (cluster is null)
        {
            yield return RedisChannel.Pattern(keyPrefix + "*");
            yield break;
        }
        var primaries = cluster.Nodes.Where(n => !n.IsReplica && n.Slots.Count > 0).Select(n => n.EndPoint).ToHashSet();
        for (var stars = 1; stars <= 512 && primaries.Count > 0; stars++)
        {
            var name = keyPrefix + new string('*', stars);
            var owner = cluster.GetBySlot(redis.HashSlot(name))?.EndPoint;
            if (owner is not null && primaries.Remove(owner)) yield return RedisChannel.Pattern(name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Keyspace invalidation on: notify-keyspace-events={Events}, subscribed to {Pattern} on {Endpoint}")]
    private partial void LogEnabled(string events, string pattern, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keyspace invalidation not ready yet ({Error}); retrying")]
    private partial void LogRetry(string error);
}
