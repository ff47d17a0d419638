using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Shop.Infrastructure.Caching;
using StackExchange.Redis;

namespace Shop.Infrastructure.PageViews;

/// <summary>
/// The flusher's own Redis connection: a claim can return thousands of deltas, and on the app's shared multiplexer
/// those bytes would queue in front of requests' cache reads (and their short timeout). Opened asynchronously on the
/// first flush, and only once the app's connection is up, so an unreachable Redis costs neither the host's start nor a
/// second stream of connection attempts. Fails fast while disconnected: a flush cannot wait for a reconnect, it fails
/// and the next one retries.
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
