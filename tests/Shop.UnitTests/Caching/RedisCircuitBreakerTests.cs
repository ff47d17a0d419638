using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shop.Infrastructure.Caching;
using StackExchange.Redis;

namespace Shop.UnitTests.Caching;

/// <summary>The breaker opens on a failure ratio (not only consecutive failures), probes correctly, and trusts server errors.</summary>
public sealed class RedisCircuitBreakerTests
{
    private static readonly TimeoutException Timeout = new("redis timeout");
    private readonly FakeTimeProvider _clock = new();
    private readonly List<BreakerState> _changes = [];

    private RedisCircuitBreaker Breaker(CacheOptions? options = null)
    {
        var breaker = new RedisCircuitBreaker(Options.Create(options ?? new CacheOptions()), _clock, NullLogger<RedisCircuitBreaker>.Instance);
        breaker.StateChanged += _changes.Add;
        return breaker;
    }

    [Fact]
    public void A_Redis_that_times_out_on_40_percent_of_calls_opens_it_on_default_settings()
    {
        var breaker = Breaker();
        var calls = 0;
        for (; calls < 100 && breaker.State == BreakerState.Closed; calls++)
        {
            Assert.True(breaker.AllowRequest());
            if (calls % 5 is 1 or 3) breaker.OnFault(Timeout); // 2 of every 5 calls: never two failures in a row
            else breaker.OnSuccess();
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }
        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.Equal(12, calls); // the first failure once the minimum throughput (10 calls) was reached
        Assert.False(breaker.AllowRequest());
        Assert.Equal([BreakerState.Open], _changes);
    }

    [Fact]
    public void Failures_below_the_ratio_or_the_minimum_throughput_or_outside_the_window_do_not_open_it()
    {
        var breaker = Breaker();
        for (var i = 0; i < 9; i++) breaker.OnFailure(Timeout); // 9 of 9, under the minimum throughput of 10
        Assert.Equal(BreakerState.Closed, breaker.State);

        _clock.Advance(TimeSpan.FromSeconds(11)); // those slid out of the 10 s window
        for (var i = 0; i < 100; i++)
        {
            if (i % 10 == 0) breaker.OnFailure(Timeout); // 10 %, under the 20 % ratio
            else breaker.OnSuccess();
        }
        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.Empty(_changes);
    }

    [Fact]
    public void Server_errors_prove_Redis_is_up_and_never_open_it()
    {
        var breaker = Breaker();
        for (var i = 0; i < 50; i++)
            Assert.True(breaker.OnFault(new RedisServerException(RedisErrorKind.OutOfMemory, CommandFlags.None, "OOM command not allowed when used memory > 'maxmemory'")));
        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    [Fact]
    public void Opens_probes_once_after_the_open_duration_reopens_on_failure_and_closes_on_success()
    {
        var breaker = Breaker(new CacheOptions { BreakerMinimumThroughput = 3, BreakerOpenDuration = TimeSpan.FromSeconds(5) });
        for (var i = 0; i < 3; i++) breaker.OnFailure(Timeout);
        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.False(breaker.AllowRequest());

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(breaker.AllowRequest());   // the probe
        Assert.False(breaker.AllowRequest());  // only one probe at a time
        breaker.OnFailure(Timeout);            // probe failed: open again
        Assert.Equal(BreakerState.Open, breaker.State);

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(breaker.AllowRequest());
        breaker.OnSuccess();
        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.Equal([BreakerState.Open, BreakerState.HalfOpen, BreakerState.Open, BreakerState.HalfOpen, BreakerState.Closed], _changes);

        // Closed again with a fresh window: the failures before the break do not count.
        breaker.OnFailure(Timeout);
        breaker.OnFailure(Timeout);
        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    [Fact]
    public void A_probe_whose_outcome_never_comes_does_not_leave_it_half_open_for_good()
    {
        var breaker = Breaker(new CacheOptions { BreakerMinimumThroughput = 1, BreakerOpenDuration = TimeSpan.FromSeconds(5) });
        breaker.OnFailure(Timeout);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(breaker.AllowRequest());   // the probe, which then throws something that is not a Redis fault
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(breaker.AllowRequest());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.AllowRequest());   // another probe
        breaker.OnSuccess();
        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    [Fact]
    public void A_reconnect_lets_the_probe_go_at_once_instead_of_after_the_open_duration()
    {
        var breaker = Breaker(); // defaults: 10 calls, 20 %, open 5 s
        for (var i = 0; i < 10; i++) breaker.OnFailure(Timeout);
        Assert.Equal(BreakerState.Open, breaker.State);
        _clock.Advance(TimeSpan.FromMilliseconds(700));
        Assert.False(breaker.AllowRequest());

        breaker.ProbeNow();                    // the client reconnected 0.7 s after the breaker opened
        Assert.True(breaker.AllowRequest());   // the probe, 4.3 s before the open duration would have let it
        Assert.False(breaker.AllowRequest());  // still one probe at a time
        breaker.OnSuccess();
        Assert.Equal(BreakerState.Closed, breaker.State);

        breaker.ProbeNow();                    // closed: nothing to do
        Assert.Equal([BreakerState.Open, BreakerState.HalfOpen, BreakerState.Closed], _changes);
    }

    [Fact]
    public void A_reconnect_while_half_open_lets_another_probe_through_and_a_failed_probe_waits_the_open_duration_again()
    {
        var breaker = Breaker();
        for (var i = 0; i < 10; i++) breaker.OnFailure(Timeout);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(breaker.AllowRequest());   // a probe sent while Redis was still down: stuck in the client's backlog
        breaker.ProbeNow();
        Assert.True(breaker.AllowRequest());   // the reconnect does not wait for it
        breaker.OnFailure(Timeout);
        Assert.Equal(BreakerState.Open, breaker.State);
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(breaker.AllowRequest());
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(breaker.AllowRequest());
    }
}
