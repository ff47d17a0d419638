using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Shop.Infrastructure.Observability;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Fail-open access to Redis for the cache: every call goes through the <see cref="RedisCircuitBreaker"/> and the
/// short timeout of <c>Cache:RedisTimeout</c>, and never throws. A failed read is a miss, a failed write is
/// dropped. Guarantees: a Redis outage, slowness or OOM refusal never fails a request PostgreSQL can serve.
/// Does not: make writes durable (they are cache fills; losing one costs a later miss). OOM and other server
/// errors prove Redis is up, so they do not trip the breaker. When the client reconnects, the breaker probes at once
/// (<see cref="RedisCircuitBreaker.ProbeNow"/>): recovery after a Redis restart takes a reconnect, not BreakerOpenDuration.
/// </summary>
public sealed partial class FailOpenRedis
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisCircuitBreaker _breaker;
    private readonly ShopMetrics _metrics;
    private readonly ILogger<FailOpenRedis> _logger;

    public FailOpenRedis(IConnectionMultiplexer redis, RedisCircuitBreaker breaker, ShopMetrics metrics, ILogger<FailOpenRedis> logger)
    {
        _redis = redis;
        _breaker = breaker;
        _metrics = metrics;
        _logger = logger;
        // Every cache pattern goes through this breaker, so they all recover on this one event (page views have their own connection).
        redis.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive) breaker.ProbeNow();
        };
    }

    public IConnectionMultiplexer Multiplexer => _redis;

    public IDatabase Database => _redis.GetDatabase();

    private int _topology; // 0 not known yet, 1 standalone, 2 cluster

    /// <summary>Whether Redis is a cluster, learnt once from the first connected server (not re-asked per batch read).</summary>
    public bool IsCluster
    {
        get
        {
            if (_topology == 0 && _redis.GetServers().FirstOrDefault(s => s.IsConnected) is { } server)
                _topology = server.ServerType == ServerType.Cluster ? 2 : 1;
            return _topology == 2;
        }
    }

    public Task<(bool Ok, T Result)> TryAsync<T>(Func<IDatabase, Task<T>> call) => TryAsync(call, throughBreaker: true);

    /// <summary>
    /// <paramref name="throughBreaker"/> false: the call is made even while the breaker is open (still bounded by
    /// Cache:RedisTimeout, its outcome still recorded). For background work that must reach Redis as soon as it answers,
    /// whatever this instance's breaker thinks (the invalidation retry queue), never for a request's path.
    /// </summary>
    public async Task<(bool Ok, T Result)> TryAsync<T>(Func<IDatabase, Task<T>> call, bool throughBreaker)
    {
        if (throughBreaker && !BreakerAllows()) return (false, default!);
        try
        {
            var result = await call(Database);
            _breaker.OnSuccess();
            return (true, result);
        }
        catch (Exception ex) when (RedisCircuitBreaker.IsFault(ex))
        {
            Record(ex);
            return (false, default!);
        }
    }

    /// <summary>
    /// <see cref="TryAsync{T}(Func{IDatabase, Task{T}})"/> for one GET, the cache's hottest Redis call, with the same
    /// breaker, timeout and fail-open rules: no delegate or closure per call, and a pooled state machine when the
    /// reply is not there yet (the await then completes later, which is every time over a network).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<(bool Ok, RedisValue Result)> TryGetAsync(RedisKey key)
    {
        if (!BreakerAllows()) return (false, RedisValue.Null);
        try
        {
            var result = await Database.StringGetAsync(key);
            _breaker.OnSuccess();
            return (true, result);
        }
        catch (Exception ex) when (RedisCircuitBreaker.IsFault(ex))
        {
            Record(ex);
            return (false, RedisValue.Null);
        }
    }

    private bool BreakerAllows()
    {
        if (_breaker.AllowRequest()) return true;
        _metrics.FailOpen("breaker_open");
        return false;
    }

    /// <summary>Starts a write without waiting for it: the response does not pay a round trip for a cache fill.</summary>
    public void FireAndForget(Func<IDatabase, Task> call)
    {
        if (!_breaker.AllowRequest()) return;
        Task task;
        try
        {
            task = call(Database);
        }
        catch (Exception ex) when (RedisCircuitBreaker.IsFault(ex))
        {
            Record(ex);
            return;
        }
        task.ContinueWith(t =>
        {
            if (t.Exception?.InnerException is { } ex) Record(ex);
            else _breaker.OnSuccess();
        }, TaskScheduler.Default);
    }

    private void Record(Exception ex)
    {
        var reason = ex switch { RedisServerException => "server_error", TimeoutException => "timeout", _ => "connection" };
        _metrics.FailOpen(reason);
        if (_breaker.OnFault(ex)) LogServerError(ex.Message);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis refused a cache call: {Message}")]
    private partial void LogServerError(string message);
}
