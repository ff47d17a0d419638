using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Circuit breaker for Redis. After <c>BreakerFailureThreshold</c> consecutive failures it opens: cache calls
/// skip Redis at once (no timeout paid per request) and requests are served from L1 and PostgreSQL. After
/// <c>BreakerOpenDuration</c> one probe call is let through; success closes it, failure opens it again.
/// Logs once per state change, never per request. Guarantees: while open, no request waits on Redis.
/// Does not: retry the calls it skipped. Every Redis caller (the fail-open cache and the page-view counter) classifies
/// its exceptions through <see cref="IsFault"/> and <see cref="OnFault"/>, so both count failures the same way.
/// </summary>
public sealed partial class RedisCircuitBreaker(IOptions<CacheOptions> options, TimeProvider clock, ILogger<RedisCircuitBreaker> logger)
{
    private readonly Lock _gate = new();
    private volatile BreakerState _state = BreakerState.Closed;
    private int _failures;
    private long _openedAt;

    public BreakerState State => _state;

    public event Action<BreakerState>? StateChanged;

    public bool AllowRequest()
    {
        if (_state == BreakerState.Closed) return true;
        lock (_gate)
        {
            if (_state == BreakerState.Open && clock.GetElapsedTime(_openedAt) >= options.Value.BreakerOpenDuration)
            {
                Transition(BreakerState.HalfOpen);
                return true; // the single probe
            }
            return false;
        }
    }

    public void OnSuccess()
    {
        if (_state == BreakerState.Closed && Volatile.Read(ref _failures) == 0) return;
        lock (_gate)
        {
            _failures = 0;
            if (_state != BreakerState.Closed) Transition(BreakerState.Closed);
        }
    }

    /// <summary>Whether an exception comes from Redis being unreachable, slow or refusing (as opposed to a bug).</summary>
    public static bool IsFault(Exception exception) => exception is RedisException or TimeoutException or ObjectDisposedException;

    /// <summary>
    /// Records a Redis fault. A server error (an OOM refusal under noeviction, say) proves Redis is up, so it counts as
    /// a success for the breaker; anything else counts as a failure. Returns true for a server error.
    /// </summary>
    public bool OnFault(Exception exception)
    {
        if (exception is RedisServerException)
        {
            OnSuccess();
            return true;
        }
        OnFailure(exception);
        return false;
    }

    public void OnFailure(Exception exception)
    {
        lock (_gate)
        {
            _failures++;
            if (_state == BreakerState.HalfOpen || (_state == BreakerState.Closed && _failures >= options.Value.BreakerFailureThreshold))
            {
                _openedAt = clock.GetTimestamp();
                if (_state != BreakerState.Open) LogOpened(exception.GetType().Name, exception.Message, options.Value.BreakerOpenDuration.TotalSeconds);
                Transition(BreakerState.Open);
            }
        }
    }

    private void Transition(BreakerState next)
    {
        if (_state == next) return;
        var previous = _state;
        _state = next;
        if (next == BreakerState.Closed) LogClosed(previous);
        StateChanged?.Invoke(next);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis circuit breaker OPEN after {Error}: {Message}. Serving from L1 and PostgreSQL; next probe in {Seconds} s")]
    private partial void LogOpened(string error, string message, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis circuit breaker CLOSED (was {Previous}): caching through Redis again")]
    private partial void LogClosed(BreakerState previous);
}
