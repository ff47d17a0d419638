using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shop.Infrastructure.Caching;

namespace Shop.UnitTests.Caching;

public sealed class NegativeCacheBudgetTests
{
    private static NegativeCacheBudget Budget(FakeTimeProvider clock, double perSecond) =>
        new(clock, Options.Create(new CacheOptions { NegativeRedisWritesPerSecond = perSecond }));

    [Fact]
    public void A_burst_gets_the_bucket_then_the_rate_and_no_more()
    {
        var clock = new FakeTimeProvider();
        var budget = Budget(clock, 20);

        Assert.Equal(20, Enumerable.Range(0, 1_000).Count(_ => budget.TryTakeRedisWrite())); // the burst
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(10, Enumerable.Range(0, 1_000).Count(_ => budget.TryTakeRedisWrite())); // 20/s × 0.5 s
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(20, Enumerable.Range(0, 1_000).Count(_ => budget.TryTakeRedisWrite())); // refill caps at the burst
    }

    [Fact]
    public void A_zero_budget_keeps_every_absent_in_L1()
    {
        var clock = new FakeTimeProvider();
        var budget = Budget(clock, 0);
        Assert.False(budget.TryTakeRedisWrite());
        clock.Advance(TimeSpan.FromHours(1));
        Assert.False(budget.TryTakeRedisWrite());
    }
}
