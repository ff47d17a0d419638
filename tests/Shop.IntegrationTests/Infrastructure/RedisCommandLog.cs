using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// Records the Redis commands one API instance sends (StackExchange.Redis profiling), so a test can count
/// round trips of that instance alone even while other tests use the same Redis server.
/// </summary>
public sealed class RedisCommandLog
{
    private ProfilingSession? _session;

    public RedisCommandLog(ShopApiFactory instance) =>
        instance.Services.GetRequiredService<IConnectionMultiplexer>().RegisterProfiler(() => _session);

    public void Start() => _session = new ProfilingSession();

    /// <summary>Stops recording and returns the commands sent since <see cref="Start"/>, e.g. ["MGET", "SET", …].</summary>
    public IReadOnlyList<string> Stop()
    {
        var session = _session ?? throw new InvalidOperationException("Start first.");
        _session = null;
        return [.. session.FinishProfiling().Select(c => c.Command)];
    }
}
