using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Shop.Api.RateLimiting;

/// <summary>
/// The per-client partitions of one kind of limit (reads, writes or page views), bounded. ASP.NET Core's partitioned
/// limiter keeps one limiter per partition key and drops it only after it has been idle (window refilled, unused) for
/// 10 s, so a flood of distinct clients would grow it for as long as the flood lasts. Here at most
/// <see cref="RateLimitingOptions.MaxClients"/> clients are tracked; past that a new client goes to the one overflow
/// partition, shared by all such clients, until evictions make room again.
/// Guarantees: at most MaxClients + 1 limiters (plus the few created concurrently with the count check, which is not
/// atomic with the creation), each ~1 KB with its key. Does not: share counts between instances.
/// </summary>
internal sealed class ClientPartitions(string kind, WindowLimit limit, int maxClients)
{
    public const string Overflow = "overflow";

    private readonly ConcurrentDictionary<string, byte> _live = new(StringComparer.Ordinal);
    private int _count;
    private Func<string, RateLimiter>? _create; // one delegate for every request, not a new one per request

    /// <summary>Limiters alive now.</summary>
    public int Count => Volatile.Read(ref _count);

    public RateLimitPartition<string> Get(string client)
    {
        var key = kind + "|" + client;
        if (Count >= maxClients && !_live.ContainsKey(key)) key = kind + "|" + Overflow;
        return new RateLimitPartition<string>(key, _create ??= Create);
    }

    private TrackedRateLimiter Create(string key)
    {
        if (_live.TryAdd(key, 0)) Interlocked.Increment(ref _count);
        var inner = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = false, // the partitioned limiter's own timer replenishes every partition
        });
        return new TrackedRateLimiter(inner, () =>
        {
            if (_live.TryRemove(key, out _)) Interlocked.Decrement(ref _count);
        });
    }
}
