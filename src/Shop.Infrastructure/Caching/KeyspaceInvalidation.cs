using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Optional (<c>Cache:KeyspaceNotifications</c>): invalidation driven by Redis itself. Subscribes to keyspace
/// notifications for this deployment's keys, so a DEL from redis-cli, an expiry or an eviction drops the key from
/// this instance's L1 too, not only the app's own writes. Guarantees: changes made outside the app reach L1 within
/// the pub/sub latency while subscribed. Does not: cover SET/overwrites made outside the app (only deletions,
/// expiries and evictions are subscribed, to keep the event volume down); on Redis Cluster, events are per node,
/// so each primary must be subscribed. Costs: Redis publishes every del/expire/evict event in the database to
/// every instance, CPU and bandwidth that grow with the write and expiry rate.
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
        var pattern = RedisChannel.Pattern(prefix + keyspace.Root + "*");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var endpoint in redis.GetEndPoints())
                {
                    var server = redis.GetServer(endpoint);
                    if (!server.IsReplica) await server.ConfigSetAsync("notify-keyspace-events", Events);
                }
                await redis.GetSubscriber().SubscribeAsync(pattern, (channel, _) =>
                {
                    var key = channel.ToString()[prefix.Length..];
                    // Lock keys come and go with every miss; they are never in L1, so they must not bump its epoch.
                    if (!key.EndsWith(":lock", StringComparison.Ordinal)) l1.Invalidate([key], []);
                });
                LogEnabled(Events, pattern.ToString());
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRetry(ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Keyspace invalidation on: notify-keyspace-events={Events}, subscribed to {Pattern}")]
    private partial void LogEnabled(string events, string pattern);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keyspace invalidation not ready yet ({Error}); retrying")]
    private partial void LogRetry(string error);
}
