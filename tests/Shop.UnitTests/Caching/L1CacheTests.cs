using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shop.Infrastructure.Caching;

namespace Shop.UnitTests.Caching;

/// <summary>L1's degraded mode (young entries only), its invalidation epoch and its bounds (entries, bytes).</summary>
public sealed class L1CacheTests
{
    private readonly FakeTimeProvider _clock = new();

    private L1Cache Cache(CacheOptions? options = null) => new(Options.Create(options ?? new CacheOptions { Jitter = 0 }), _clock);

    [Fact]
    public void While_degraded_only_entries_younger_than_the_degraded_TTL_are_served_and_leaving_clears_L1()
    {
        using var l1 = Cache();
        l1.Set("{product:1}", "old", absent: false, l1.Epoch);
        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.True(l1.EnterDegraded(L1Cache.DegradedReason.SubscriptionDown));
        Assert.True(l1.TryGet("{product:1}", out var value)); // 3 s old, under the 5 s default
        Assert.Equal("old", value);
        l1.Set("{product:2}", "filled while degraded", absent: false, l1.Epoch);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(l1.TryGet("{product:1}", out _)); // 5 s old: hidden
        Assert.True(l1.TryGet("{product:2}", out _));
        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.False(l1.TryGet("{product:2}", out _));

        Assert.False(l1.EnterDegraded(L1Cache.DegradedReason.RedisUnreachable)); // already degraded
        l1.Set("{product:3}", "young", absent: false, l1.Epoch);
        Assert.False(l1.LeaveDegraded(L1Cache.DegradedReason.SubscriptionDown)); // still unreachable
        Assert.Equal(0, l1.Count); // but cleared: messages were missed
        Assert.True(l1.Degraded);
        Assert.True(l1.LeaveDegraded(L1Cache.DegradedReason.RedisUnreachable));
        Assert.False(l1.Degraded);

        l1.Set("{product:1}", "new", absent: false, l1.Epoch);
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(l1.TryGet("{product:1}", out value)); // normal TTL again (30 s)
        Assert.Equal("new", value);
    }

    [Fact]
    public void The_byte_budget_bounds_big_entries_and_the_entry_limit_bounds_small_ones()
    {
        using var l1 = Cache(new CacheOptions { Jitter = 0, L1SizeLimit = 100, L1MaxBytes = 100_000 });
        for (var i = 0; i < 50; i++) l1.Set($"{{big:{i}}}", "x", absent: false, l1.Epoch, encodedBytes: 10_000);
        Assert.InRange(l1.Count, 1, 10); // 10 × 10 KB fill 100 KB

        using var small = Cache(new CacheOptions { Jitter = 0, L1SizeLimit = 100, L1MaxBytes = 100_000 });
        for (var i = 0; i < 500; i++) small.Set($"{{small:{i}}}", "x", absent: false, small.Epoch, encodedBytes: 10);
        Assert.InRange(small.Count, 1, 100); // each charged at least 100 KB / 100
    }

    [Fact]
    public void Invalidate_drops_only_the_named_keys_and_refuses_a_value_read_before_it()
    {
        using var l1 = Cache();
        l1.Set("{product:1}", "p1", absent: false, l1.Epoch);
        l1.Set("{product:2}", "p2", absent: false, l1.Epoch);
        var readBefore = l1.Epoch; // a load that read the database before the write

        l1.Invalidate(["{product:1}"]);

        Assert.False(l1.TryGet("{product:1}", out _));
        Assert.True(l1.TryGet("{product:2}", out var other));
        Assert.Equal("p2", other);
        Assert.Equal(1, l1.Count);
        l1.Set("{product:1}", "old p1", absent: false, readBefore); // finishes after the invalidation: refused
        Assert.False(l1.TryGet("{product:1}", out _));
        l1.Set("{product:1}", "new p1", absent: false, l1.Epoch);
        Assert.True(l1.TryGet("{product:1}", out var fresh));
        Assert.Equal("new p1", fresh);
    }

    [Fact]
    public async Task A_flood_of_random_keys_stays_within_the_entry_limit_and_leaks_nothing_beside_it()
    {
        var options = new CacheOptions(); // production defaults: 10,000 entries, 32 MB
        using var l1 = new L1Cache(Options.Create(options));
        var random = new Random(42);
        var payload = new string('x', 200);

        long Flood()
        {
            for (var i = 0; i < 200_000; i++)
            {
                l1.Set($"{{category:{random.Next()}}}:products:v1:p{random.Next(1, 100_000)}:s20", payload, absent: false, l1.Epoch, encodedBytes: 300);
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return GC.GetTotalMemory(forceFullCollection: true);
        }

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var heapAfterFirst = Flood();
        await SettleAsync(l1);
        var heapAfterSecond = Flood();
        await SettleAsync(l1);

        Assert.InRange(l1.Count, 1, options.L1SizeLimit);
        // 10,000 entries of ~1 KB (key, 200-char value, entry) at most ~10-20 MB; no growth between floods.
        Assert.InRange(heapAfterFirst - heapBefore, long.MinValue, 40L * 1024 * 1024);
        Assert.InRange(heapAfterSecond - heapAfterFirst, long.MinValue, 8L * 1024 * 1024);
    }

    /// <summary>Compaction runs on the thread pool: give it a moment to finish.</summary>
    private static async Task SettleAsync(L1Cache l1)
    {
        for (var i = 0; i < 300 && l1.Count > new CacheOptions().L1SizeLimit; i++)
            await Task.Delay(10, TestContext.Current.CancellationToken);
    }

    [Fact]
    public void After_an_outage_Redis_entries_loaded_before_the_recovery_are_not_trusted_for_the_degraded_TTL()
    {
        using var l1 = Cache(); // DegradedL1Ttl 5 s
        var loadedBeforeStart = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(l1.EnterDegraded(L1Cache.DegradedReason.SubscriptionDown)); // as at start, until first subscribed
        Assert.True(l1.LeaveDegraded(L1Cache.DegradedReason.SubscriptionDown));
        Assert.True(l1.TrustsRedisEntry(loadedBeforeStart)); // the first subscription ends no outage

        var loadedBeforeOutage = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(1));
        l1.EnterDegraded(L1Cache.DegradedReason.SubscriptionDown);
        l1.EnterDegraded(L1Cache.DegradedReason.RedisUnreachable);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var loadedDuringOutage = _clock.GetUtcNow(); // by an instance that could reach Redis
        Assert.False(l1.TrustsRedisEntry(loadedBeforeOutage)); // degraded: a write's delete may not have reached Redis
        Assert.True(l1.TrustsRedisEntry(loadedDuringOutage));
        Assert.False(l1.LeaveDegraded(L1Cache.DegradedReason.RedisUnreachable)); // breaker closed, subscription still down
        Assert.False(l1.TrustsRedisEntry(loadedBeforeOutage)); // still degraded
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(l1.LeaveDegraded(L1Cache.DegradedReason.SubscriptionDown));
        Assert.False(l1.TrustsRedisEntry(loadedDuringOutage)); // loaded before the recovery

        Assert.False(l1.TrustsRedisEntry(loadedBeforeOutage)); // a write during the outage may not have reached Redis
        var loadedAfter = _clock.GetUtcNow();
        Assert.True(l1.TrustsRedisEntry(loadedAfter));
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(l1.TrustsRedisEntry(loadedBeforeOutage));
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(l1.TrustsRedisEntry(loadedBeforeOutage)); // the other instances' queued invalidations have landed
    }
}
