using Microsoft.Extensions.Options;
using Shop.Application.Abstractions;
using Shop.Application.Common;
using Shop.Infrastructure.Caching;
using StackExchange.Redis;

namespace Shop.Infrastructure.PageViews;

/// <summary>
/// The write-behind counter's request side (the port <see cref="IPageViewCounter"/>). Recording a view is one Lua call
/// (<c>Lua/record.lua</c>): HINCRBY on the shard's pending hash, which both counts the view and marks the product
/// pending, plus the product's in-flight and flushed views for the answer. When the product's pending delta reaches
/// <c>PageViews:FlushThreshold</c>, this instance's <see cref="PageViewFlusher"/> is signalled (in process).
/// Guarantees: no PostgreSQL access; a view is counted entirely or not at all; every acknowledged view is in Redis
/// (pending or in flight) until a flush has committed it to PostgreSQL. Does not: fail open. Without Redis a view
/// cannot be counted, so calls throw <see cref="ServiceUnavailableException"/> (503 + Retry-After).
/// <para>It talks to Redis over the write-behind's own connection (<see cref="PageViewConnection"/>), not through the
/// cache's: the cache fails open after <c>Cache:RedisTimeout</c> (250 ms) and its breaker then skips Redis for a while,
/// which suits a read that PostgreSQL can answer, not a write that has nowhere else to go. Here a view waits up to
/// <c>PageViews:RedisTimeout</c> for a slow Redis, so a slow Redis (a busy machine, +200 ms of latency) costs no
/// refused view and no view counted behind a 503 (a timeout after Redis ran the script would be both). While that
/// connection is down, calls fail at once (nothing sent, nothing counted), and views are accepted again as soon as it
/// reconnects (every <see cref="Caching.RedisConnection.ReconnectInterval"/>): no breaker to wait out. Still
/// ambiguous: a Redis slower than PageViews:RedisTimeout, or dying with the script sent, answers 503 for a view it
/// may have counted.</para>
/// </summary>
public sealed class RedisPageViewCounter(
    PageViewConnection connection,
    PageViewKeys keys,
    PageViewFlushSignal signal,
    PageViewStats stats,
    IOptions<PageViewOptions> options) : IPageViewCounter
{
    // A started Redis call is not cancelled: once sent, the view may be counted whatever the client does.
    public async ValueTask<RecordedView> RecordAsync(int productId, CancellationToken cancellationToken)
    {
        var shard = PageViewKeys.ShardOf(productId);
        var result = (long[])(await CallAsync(db => db.ScriptEvaluateAsync(PageViewScripts.Record,
            [keys.Pending(shard), keys.InFlight(shard), keys.Flushed(shard)], [productId])))!;
        var recorded = new RecordedView(result[0], result[1], result[2] < 0 ? null : result[2]);
        stats.ViewRecorded();
        if (recorded.Pending >= options.Value.FlushThreshold && signal.Request()) stats.ThresholdReached();
        return recorded;
    }

    public async ValueTask<PendingViews> ReadPendingAsync(int productId, CancellationToken cancellationToken)
    {
        var shard = PageViewKeys.ShardOf(productId);
        var result = (RedisResult[])(await CallAsync(db => db.ScriptEvaluateAsync(PageViewScripts.Read,
            [keys.Pending(shard), keys.InFlight(shard), keys.Moves(shard)], [productId])))!;
        var inFlight = new List<InFlightViews>((result.Length - 2) / 2);
        for (var i = 2; i + 1 < result.Length; i += 2)
        {
            if (Guid.TryParse((string?)result[i], out var batchId)) inFlight.Add(new InFlightViews(batchId, (long)result[i + 1]));
        }
        return new PendingViews((long)result[1], inFlight, (long)result[0]);
    }

    public async ValueTask<bool> UnmovedSinceAsync(int productId, PendingViews read, CancellationToken cancellationToken)
    {
        var moves = await CallAsync(db => db.StringGetAsync(keys.Moves(PageViewKeys.ShardOf(productId))));
        return (moves.IsNull ? 0 : (long)moves) == read.Moves;
    }

    private async Task<T> CallAsync<T>(Func<IDatabase, Task<T>> call)
    {
        var redis = await connection.GetAsync(CancellationToken.None) ?? throw Unavailable(null);
        try
        {
            return await call(redis.GetDatabase());
        }
        catch (Exception ex) when (RedisCircuitBreaker.IsFault(ex))
        {
            throw Unavailable(ex);
        }
    }

    private static ServiceUnavailableException Unavailable(Exception? inner) =>
        new("Page views are counted in Redis, which did not answer. Retry later.", inner);
}
