using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// One <see cref="ConnectionMultiplexer"/> per process (it multiplexes every caller over one socket per node).
/// AbortOnConnectFail is off so the API starts, and serves from PostgreSQL, while Redis is unreachable.
/// </summary>
internal static class RedisConnection
{
    /// <summary>
    /// While a connection is down the client tries to reconnect this often (checked on each heartbeat). The client's
    /// default backs off exponentially up to 10 s, so a Redis back after a long outage could wait that long to be
    /// used again; a connect attempt to a down server on the same network costs next to nothing.
    /// </summary>
    public static readonly TimeSpan ReconnectInterval = TimeSpan.FromMilliseconds(500);

    public static ConfigurationOptions Options(IConfiguration configuration, TimeSpan timeout, CacheInstance instance)
    {
        var text = configuration.GetConnectionString("Redis")
            ?? throw new InvalidOperationException("ConnectionStrings:Redis is not set.");
        var options = ConfigurationOptions.Parse(text);
        options.AbortOnConnectFail = false;
        // Unique per process, so CLIENT LIST tells instances apart (and a test can kill one's subscription).
        options.ClientName = $"shop-{instance.Id}";
        // Cache:RedisTimeout bounds how long a request can wait on Redis before it fails open.
        options.SyncTimeout = options.AsyncTimeout = (int)timeout.TotalMilliseconds;
        // The client notices a timed-out call only on its heartbeat (1 s by default), so a 250 ms timeout would really
        // be up to 1.25 s; beating at half the timeout makes the wait at most 1.5 × Cache:RedisTimeout.
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 2, 50, 1000));
        options.ReconnectRetryPolicy = new LinearRetry((int)ReconnectInterval.TotalMilliseconds);
        return options;
    }
}
