using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Circuit breaker for Redis, by failure ratio: when at least <c>BreakerMinimumThroughput</c> calls were made in the
/// last <c>BreakerSamplingDuration</c> and <c>BreakerFailureRatio</c> of them failed (timeouts, lost connections), it
/// opens: cache calls skip Redis at once (no timeout paid per request) and requests are served from L1 (young entries
/// only, see <see cref="L1Cache"/>) and PostgreSQL. After <c>BreakerOpenDuration</c> one probe call is let through;
/// success closes it, failure opens it again; a probe whose outcome never comes (it threw something that is not a
/// Redis fault) is replaced by another after BreakerOpenDuration, so the breaker cannot stay half-open for good.
/// When the client reconnects (<see cref="ProbeNow"/>, wired by <see cref="FailOpenRedis"/>), the probe goes at once.
/// A server error (an OOM refusal, say) proves Redis is up: it counts as a success. Logs once per state change.
/// Guarantees: while open, no request waits on Redis; recovery bound: once Redis answers again, calls resume within
/// BreakerOpenDuration (a Redis that was slow or half-reachable), or within a reconnect of the client
/// (<see cref="RedisConnection.ReconnectInterval"/> + one probe) after Redis was down and is back.
/// Does not: retry the calls it skipped.
/// <para>Why not Polly's circuit breaker: Polly v8 records an outcome only around a call it executes, while this
/// project's callers record outcomes of calls started elsewhere (fire-and-forget fills finish in a continuation, the
/// page-view counter runs its own scripts); and Polly's timeout strategy is cooperative, but StackExchange.Redis calls
/// take no CancellationToken, so it could not cut a call short: <c>Cache:RedisTimeout</c> (the client's own
/// asyncTimeout) is the timeout. This class keeps Polly's model (ratio over a sliding window, minimum throughput,
/// break duration, one half-open probe) in one lock-guarded ring of buckets.</para>
/// </summary>
public sealed partial class RedisCircuitBreaker
{
    private const int Buckets = 10;
    private readonly CacheOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<RedisCircuitBreaker> _logger;
    private readonly long _bucketLength;
    private readonly long _breakLength;
    private readonly Lock _gate = new();
    private readonly long[] _bucketIds = new long[Buckets];
    private readonly int[] _calls = new int[Buckets];
    private readonly int[] _failures = new int[Buckets];
    private volatile BreakerState _state = BreakerState.Closed;
    private long _openedAt;
    private long _probeAt;

    public RedisCircuitBreaker(IOptions<CacheOptions> options, TimeProvider clock, ILogger<RedisCircuitBreaker> logger)
    {
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _bucketLength = Math.Max(1, (long)(_options.BreakerSamplingDuration.TotalSeconds * clock.TimestampFrequency / Buckets));
        _breakLength = (long)(_options.BreakerOpenDuration.TotalSeconds * clock.TimestampFrequency);
        Array.Fill(_bucketIds, -1);
    }

    public BreakerState State => _state;

    /// <summary>Raised once per state change (outside no lock a subscriber could deadlock on: keep handlers short).</summary>
    public event Action<BreakerState>? StateChanged;

    public bool AllowRequest()
    {
        if (_state == BreakerState.Closed) return true;
        lock (_gate)
        {
            var now = _clock.GetTimestamp();
            if (_state == BreakerState.Open && now - _openedAt >= _breakLength)
            {
                _probeAt = now;
                Transition(BreakerState.HalfOpen, null);
                return true; // the probe
            }
            if (_state == BreakerState.HalfOpen && now - _probeAt >= _breakLength)
            {
                _probeAt = now; // the last probe's outcome never came: let another one through
                return true;
            }
            return _state == BreakerState.Closed;
        }
    }

    /// <summary>
    /// The client has just reconnected to Redis: let the next call be the probe now instead of after the rest of
    /// <c>BreakerOpenDuration</c>, so recovery after a Redis restart costs a reconnect, not a break duration (a probe
    /// that fails opens the breaker again as usual). No effect while closed.
    /// </summary>
    public void ProbeNow()
    {
        if (_state == BreakerState.Closed) return;
        lock (_gate)
        {
            var due = _clock.GetTimestamp() - _breakLength;
            if (_state == BreakerState.Open) _openedAt = Math.Min(_openedAt, due);
            else if (_state == BreakerState.HalfOpen) _probeAt = Math.Min(_probeAt, due);
        }
        LogProbeNow(_state);
    }

    public void OnSuccess() => Record(failed: false, null);

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

    public void OnFailure(Exception exception) => Record(failed: true, exception);

    private void Record(bool failed, Exception? exception)
    {
        lock (_gate)
        {
            switch (_state)
            {
                case BreakerState.HalfOpen:
                    if (failed) Open(exception!);
                    else Transition(BreakerState.Closed, null);
                    return;
                case BreakerState.Open:
                    return; // a late outcome of a call let through before the breaker opened
            }

            var now = _clock.GetTimestamp();
            var id = now / _bucketLength;
            var slot = (int)(id % Buckets);
            if (_bucketIds[slot] != id)
            {
                _bucketIds[slot] = id;
                _calls[slot] = 0;
                _failures[slot] = 0;
            }
            _calls[slot]++;
            if (!failed) return;
            _failures[slot]++;

            int calls = 0, failures = 0;
            for (var i = 0; i < Buckets; i++)
            {
                if (id - _bucketIds[i] >= Buckets) continue; // outside the sliding window
                calls += _calls[i];
                failures += _failures[i];
            }
            if (calls >= _options.BreakerMinimumThroughput && failures >= _options.BreakerFailureRatio * calls) Open(exception!);
        }
    }

    private void Open(Exception exception)
    {
        _openedAt = _clock.GetTimestamp();
        Array.Fill(_bucketIds, -1); // a fresh window after recovery
        Transition(BreakerState.Open, exception);
    }

    private void Transition(BreakerState next, Exception? cause)
    {
        if (_state == next) return;
        var previous = _state;
        _state = next;
        switch (next)
        {
            case BreakerState.Open when previous == BreakerState.Closed:
                LogOpened(cause?.GetType().Name, cause?.Message, _options.BreakerOpenDuration.TotalSeconds);
                break;
            case BreakerState.Open:
                LogProbeFailed(cause?.GetType().Name, _options.BreakerOpenDuration.TotalSeconds);
                break;
            case BreakerState.HalfOpen:
                LogHalfOpen();
                break;
            case BreakerState.Closed:
                LogClosed(previous);
                break;
        }
        StateChanged?.Invoke(next);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis circuit breaker OPEN after {Error}: {Message}. Skipping Redis: reads are served from L1 entries younger than Cache:DegradedL1Ttl, else from PostgreSQL; next probe in {Seconds} s")]
    private partial void LogOpened(string? error, string? message, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis circuit breaker probe failed ({Error}): open again; next probe in {Seconds} s")]
    private partial void LogProbeFailed(string? error, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis connection restored while the circuit breaker is {State}: the next call probes Redis now")]
    private partial void LogProbeNow(BreakerState state);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis circuit breaker HALF-OPEN: one probe call goes to Redis")]
    private partial void LogHalfOpen();

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis circuit breaker CLOSED (was {Previous}): caching through Redis again")]
    private partial void LogClosed(BreakerState previous);
}

/// <summary>The state of the <see cref="RedisCircuitBreaker"/>.</summary>
public enum BreakerState
{
    Closed,
    Open,
    HalfOpen,
}
