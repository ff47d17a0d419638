using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shop.Infrastructure.Caching;

namespace Shop.Benchmarks;

/// <summary>
/// What the circuit breaker adds to every Redis call on the Redis-hit path (closed breaker): AllowRequest + OnSuccess,
/// which records the success in the failure-ratio window under a lock. Compare with a Redis GET (tens of µs).
/// </summary>
[MemoryDiagnoser]
public class BreakerBenchmarks
{
    private readonly RedisCircuitBreaker _breaker = new(Options.Create(new CacheOptions()), TimeProvider.System, NullLogger<RedisCircuitBreaker>.Instance);

    [Benchmark(Description = "breaker AllowRequest + OnSuccess (closed)")]
    public bool AllowAndRecordSuccess()
    {
        var allowed = _breaker.AllowRequest();
        _breaker.OnSuccess();
        return allowed;
    }
}
