using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Shop.Infrastructure.Caching;
using StackExchange.Redis;

namespace Shop.Infrastructure.PageViews;

/// <summary>
/// The write-behind's own Redis connection, used by the flusher and by <see cref="RedisPageViewCounter"/>: a claim can
/// return thousands of deltas, and on the app's shared multiplexer those bytes would queue in front of requests' cache
/// reads (and their short timeout); and a view, which cannot fail open, needs the longer <c>PageViews:RedisTimeout</c>,
/// not the cache's. Opened asynchronously on first use, and only once the app's connection is up, so an unreachable
/// Redis costs neither the host's start nor a second stream of connection attempts. Fails fast while disconnected (a
/// flush or a view cannot wait for a reconnect: it fails, nothing sent) and reconnects every
/// <see cref="Caching.RedisConnection.ReconnectInterval"/>.
/// </summary>
public sealed class PageViewConnection(
    IConnectionMultiplexer app, IConfiguration configuration, CacheInstance instance, IOptions<PageViewOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _connect = new(1, 1);
    private ConnectionMultiplexer? _redis;

    /// <summary>The connection, or null while Redis is unreachable.</summary>
    public async Task<IConnectionMultiplexer?> GetAsync(CancellationToken cancellationToken)
    {
        if (_redis is not null) return _redis;
        if (!app.IsConnected) return null;
        await _connect.WaitAsync(cancellationToken);
        try
        {
            if (_redis is not null) return _redis;
            var config = RedisConnection.Options(configuration, options.Value.RedisTimeout, instance);
            config.ClientName += "-pageviews";
            config.BacklogPolicy = BacklogPolicy.FailFast;
            return _redis = await ConnectionMultiplexer.ConnectAsync(config);
        }
        finally
        {
            _connect.Release();
        }
    }

    public void Dispose()
    {
        _redis?.Dispose();
        _connect.Dispose();
    }
}
