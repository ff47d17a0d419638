using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.PageViews;
using Shop.Infrastructure.Persistence;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.PageViews;

/// <summary>
/// A deployment for the write-behind tests. Flushes happen when a test says so: the timer is an hour and the threshold
/// out of reach unless a test sets them, and the rate limit is out of reach unless a test lowers it. Instances started
/// with <see cref="StartInstance(IReadOnlyDictionary{string, string?}, IInterceptor)"/> get a database interceptor
/// (a <see cref="CommandGate"/>) and are disposed with the fixture.
/// </summary>
public sealed class PageViewApp(ShopServices services) : ShopApp(services)
{
    private readonly List<ShopApiFactory> _extra = [];

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["PageViews:FlushInterval"] = "01:00:00",
        ["PageViews:FlushThreshold"] = "1000000000",
        ["RateLimiting:PageViews:PermitLimit"] = "1000000",
        // Longer than a flush takes on a loaded CI machine: a flush that outlives its lease is fenced out before its
        // cleanup, which is safe (the next owner finishes it) but leaves a batch in flight where a test expects none.
        ["PageViews:LeaseTtl"] = "00:00:10",
        // No Cache:RedisTimeout here: views go over the write-behind's own connection (PageViews:RedisTimeout), so a
        // loaded machine's slow replies no longer refuse views on the cache's 250 ms default.
    };

    public ShopApiFactory StartInstance(IReadOnlyDictionary<string, string?> settings, IInterceptor interceptor)
    {
        var merged = new Dictionary<string, string?>(Settings);
        foreach (var (k, v) in settings) merged[k] = v;
        var factory = new ShopApiFactory(Postgres, Services.Redis, KeyPrefix, settings: merged,
            configureServices: s => s.ConfigureDbContext<ShopDbContext>(o => o.AddInterceptors(interceptor)));
        _ = factory.Server;
        _extra.Add(factory);
        return factory;
    }

    /// <summary>Waits until the instance's startup flush has run, so it cannot move views a test posts next.</summary>
    public static async Task<ShopApiFactory> ReadyAsync(ShopApiFactory instance)
    {
        var stats = Stats(instance);
        await Eventually.TrueAsync(() => Task.FromResult(stats.Flushes(PageViewFlushTrigger.Startup) + stats.FlushFailures >= 1),
            "the instance's startup flush ran");
        return instance;
    }

    public static PageViewFlusher Flusher(ShopApiFactory instance) => instance.Services.GetRequiredService<PageViewFlusher>();

    public static PageViewStats Stats(ShopApiFactory instance) => instance.Services.GetRequiredService<PageViewStats>();

    /// <summary>The product's total in PostgreSQL (0 without a row).</summary>
    public Task<long> FlushedAsync(int productId) =>
        ScalarAsync<long>($"SELECT coalesce((SELECT views FROM product_view_totals WHERE product_id = {productId}), 0)");

    public Task<long> FlushedTotalAsync() => ScalarAsync<long>("SELECT coalesce(sum(views), 0) FROM product_view_totals");

    /// <summary>The common prefix of the keys of the product's shard, e.g. <c>…:v1:{pv:7}</c>.</summary>
    public string Shard(int productId) => $"{KeyPrefix}:v1:{{pv:{productId % 16}}}";

    /// <summary>The product's pending delta in Redis.</summary>
    public async Task<long> PendingAsync(int productId) => (long?)await Redis.HashGetAsync(Shard(productId) + ":pending", productId) ?? 0;

    /// <summary>Batches in flight in the product's shard.</summary>
    public Task<long> InFlightBatchesAsync(int productId) => Redis.SetLengthAsync(Shard(productId) + ":inflight");

    /// <summary>Every write-behind key of this deployment still holding views (pending hashes and in-flight batches).</summary>
    public async Task<List<string>> UnflushedKeysAsync()
    {
        var keys = new List<string>();
        foreach (var endpoint in Services.RedisConnection.GetEndPoints())
        {
            var server = Services.RedisConnection.GetServer(endpoint);
            if (server.IsReplica || !server.IsConnected) continue;
            await foreach (var key in server.KeysAsync(pattern: KeyPrefix + ":v1:{pv:*}:*", pageSize: 1000))
            {
                var name = key.ToString();
                if (name.EndsWith(":pending", StringComparison.Ordinal) || name.Contains(":inflight", StringComparison.Ordinal)) keys.Add(name);
            }
        }
        return keys;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var instance in _extra) await instance.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>Polls a condition (bounded) instead of sleeping for a guessed time.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {timeoutMs} ms waiting until {what}.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
