using Microsoft.Extensions.Options;
using Shop.Application.Caching;
using Shop.Infrastructure.Caching;

namespace Shop.UnitTests.Caching;

public sealed class CachePrimitivesTests
{
    [Fact]
    public void Jitter_stays_within_its_band_and_actually_spreads()
    {
        var ttl = TimeSpan.FromMinutes(10);
        var samples = Enumerable.Range(0, 2000).Select(_ => TtlJitter.Apply(ttl, 0.10).TotalSeconds).ToArray();
        Assert.All(samples, s => Assert.InRange(s, 540, 660));
        Assert.True(samples.Max() - samples.Min() > 100, "jitter should spread TTLs over most of the ±10 % band");
        Assert.Equal(ttl, TtlJitter.Apply(ttl, 0));
    }

    [Fact]
    public async Task Single_flight_runs_one_load_for_concurrent_callers_and_shares_its_result()
    {
        var flight = new SingleFlight();
        var loads = 0;
        var gate = new TaskCompletionSource();
        var callers = Enumerable.Range(0, 50).Select(_ => flight.RunAsync("k", async () =>
        {
            Interlocked.Increment(ref loads);
            await gate.Task;
            return "value";
        }, CancellationToken.None)).ToArray();

        gate.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, loads);
        Assert.All(results, r => Assert.Equal("value", r));
        Assert.Equal(49, flight.Coalesced);
    }

    [Fact]
    public async Task Single_flight_shares_a_failure_and_then_lets_the_next_caller_retry()
    {
        var flight = new SingleFlight();
        await Assert.ThrowsAsync<InvalidOperationException>(() => flight.RunAsync<string>("k", () => throw new InvalidOperationException(), CancellationToken.None));
        Assert.Equal("ok", await flight.RunAsync("k", () => Task.FromResult("ok"), CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting_without_cancelling_the_shared_load()
    {
        var flight = new SingleFlight();
        var gate = new TaskCompletionSource<string>();
        var leader = flight.RunAsync("k", () => gate.Task, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var follower = flight.RunAsync("k", () => Task.FromResult("other"), cts.Token);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follower);
        gate.SetResult("value");
        Assert.Equal("value", await leader);
    }

    [Fact]
    public void Keys_share_a_hash_tag_per_entity_and_get_the_prefix_and_version()
    {
        var keyspace = new RedisKeyspace(Options.Create(new CacheOptions { KeyPrefix = "shop" }));
        Assert.Equal("shop:v1:{product:42}", keyspace.Key(CacheKeys.Product(42)));
        Assert.Equal("shop:v1:{product:42}:pricing", keyspace.Key(CacheKeys.Pricing(42)));
        Assert.Equal("shop:v1:{category:3}:v17:products:p1:s20", keyspace.Key(CacheKeys.CategoryPage(3, 17, 1, 20)));
        Assert.Equal("shop:v1:{user:7}:profile", keyspace.Key(CacheKeys.Profile(7)));
        Assert.Equal("shop:v1:{user:7}:preferences", keyspace.Key(CacheKeys.Preferences(7)));
        Assert.Equal("shop:v1:{product:42}:lock", RedisKeyspace.LockKey(keyspace.Key(CacheKeys.Product(42))));
        Assert.Equal("shop:v1:invalidations", keyspace.InvalidationChannel);
        Assert.Throws<ArgumentException>(() => new RedisKeyspace(Options.Create(new CacheOptions { KeyPrefix = "a{b}" })));
    }
}
