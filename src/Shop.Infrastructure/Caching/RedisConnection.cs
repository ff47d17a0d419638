using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// One <see cref="ConnectionMultiplexer"/> per process (it multiplexes every caller over one socket per node).
/// AbortOnConnectFail is off so the API starts, and serves from PostgreSQL, while Redis is unreachable.
/// </summary>
internal static class RedisConnection
{
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
        return options;
    }
}
