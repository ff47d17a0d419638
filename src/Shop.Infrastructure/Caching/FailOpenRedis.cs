using Microsoft.Extensions.Logging;
using Shop.Infrastructure.Observability;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Fail-open access to Redis for the cache: every call goes through the <see cref="RedisCircuitBreaker"/> and the
/// short timeout of <c>Cache:RedisTimeout</c>, and never throws. A failed read is a miss, a failed write is
/// dropped. Guarantees: a Redis outage, slowness or OOM refusal never fails a request PostgreSQL can serve.
/// Does not: make writes durable (they are cache fills; losing one costs a later miss). OOM and other server
/// errors prove Redis is up, so they do not trip the breaker.
/// </summary>
public sealed partial class FailOpenRedis(IConnectionMultiplexer redis, RedisCircuitBreaker breaker, ShopMetrics metrics, ILogger<FailOpenRedis> logger)
{
    public IConnectionMultiplexer Multiplexer => redis;

    public IDatabase Database => redis.GetDatabase();

    private int _topology; // 0 not known yet, 1 standalone, 2 cluster

    /// <summary>Whether Redis is a cluster, learnt once from the first connected server (not re-asked per batch read).</summary>
    public bool IsCluster
    {
        get
        {
            if (_topology == 0 && redis.GetServers().FirstOrDefault(s => s.IsConnected) is { } server)
                _topology = server.ServerType == ServerType.Cluster ? 2 : 1;
            return _topology == 2;
        }
    }

    public async Task<(bool Ok, T Result)> TryAsync<T>(Func<IDatabase, Task<T>> call)
    {
        if (!breaker.AllowRequest())
        {
            metrics.FailOpen("breaker_open");
            metrics.Events.Record(CacheEventKind.FailOpen, "(redis)", "breaker_open");
            return (false, default!);
        }
        try
        {
            var result = await call(Database);
            breaker.OnSuccess();
            return (true, result);
        }
        catch (Exception ex) when (RedisCircuitBreaker.IsFault(ex))
        {
            Record(ex);
            return (false, default!);
        }
    }

    /// <summary>Starts a write without waiting for it: the response does not pay a round trip for a cache fill.</summary>
    public void FireAndForget(Func<IDatabase, Task> call)
    {
        if (!breaker.AllowRequest()) return;
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
            else breaker.OnSuccess();
        }, TaskScheduler.Default);
    }

    private void Record(Exception ex)
    {
        metrics.FailOpen(ex switch { RedisServerException => "server_error", TimeoutException => "timeout", _ => "connection" });
        metrics.Events.Record(CacheEventKind.FailOpen, "(redis)", ex switch { RedisServerException => "server_error", TimeoutException => "timeout", _ => "connection" });
        if (breaker.OnFault(ex)) LogServerError(ex.Message);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis refused a cache call: {Message}")]
    private partial void LogServerError(string message);
}
