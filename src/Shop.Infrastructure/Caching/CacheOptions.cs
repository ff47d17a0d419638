using Shop.Application.Caching;

namespace Shop.Infrastructure.Caching;

/// <summary>The <c>Cache</c> configuration section (every key is documented in the README).</summary>
public sealed class CacheOptions
{
    public const string Section = "Cache";

    /// <summary>false: no caching at all, every read goes to PostgreSQL (for comparisons).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>First part of every Redis key and of the pub/sub channel: <c>{KeyPrefix}:v1:…</c>.</summary>
    public string KeyPrefix { get; set; } = "shop";

    public bool L1Enabled { get; set; } = true;

    /// <summary>L1 (in-process) lifetime: short, since another instance's write reaches L1 only by invalidation.</summary>
    public TimeSpan L1Ttl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most entries L1 holds; the least recently used are compacted away beyond it.</summary>
    public long L1SizeLimit { get; set; } = 10_000;

    /// <summary>Most encoded bytes L1 holds (each entry charged its Redis size, at least L1MaxBytes / L1SizeLimit).</summary>
    public long L1MaxBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// While invalidations may be missed (subscription down or Redis unreachable), L1 serves only entries younger than
    /// this, and keeps new ones at most this long: the staleness bound during a Redis outage.
    /// </summary>
    public TimeSpan DegradedL1Ttl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Redis (L2) lifetime per entry type; the entry types are named once, in <see cref="CacheKeys.EntryTypes"/>.</summary>
    public Dictionary<string, TimeSpan> Ttl { get; set; } = new()
    {
        [CacheKeys.EntryTypes.Product] = TimeSpan.FromMinutes(10),
        [CacheKeys.EntryTypes.Pricing] = TimeSpan.FromMinutes(10),
        [CacheKeys.EntryTypes.CategoryPage] = TimeSpan.FromMinutes(5),
        [CacheKeys.EntryTypes.Profile] = TimeSpan.FromMinutes(10),
        [CacheKeys.EntryTypes.Preferences] = TimeSpan.FromMinutes(10),
    };

    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Each TTL is multiplied by a random factor in [1 − Jitter, 1 + Jitter].</summary>
    public double Jitter { get; set; } = 0.10;

    /// <summary>How long "this id does not exist" is remembered.</summary>
    public TimeSpan NegativeTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Per instance: most "absent" entries written to Redis per second (token bucket, burst of the same size); past
    /// it, absents stay in L1 only. Bounds what random missing ids can add to Redis (see <see cref="NegativeCacheBudget"/>).
    /// </summary>
    public double NegativeRedisWritesPerSecond { get; set; } = 20;

    /// <summary>Json (System.Text.Json, source-generated) or MessagePack.</summary>
    public string Serializer { get; set; } = "Json";

    /// <summary>StackExchange.Redis sync and async timeout: how long a request may wait for Redis before failing open.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Cross-instance stampede lock on misses (single-flight within an instance is always on).</summary>
    public bool StampedeLock { get; set; } = true;

    /// <summary>A crashed lock owner's lock expires after this.</summary>
    public TimeSpan LockTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long other instances wait for the owner's value before loading themselves.</summary>
    public TimeSpan LockWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Share of failed Redis calls within <see cref="BreakerSamplingDuration"/> that opens the circuit breaker.</summary>
    public double BreakerFailureRatio { get; set; } = 0.2;

    /// <summary>The sliding window the failure ratio is measured over.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Fewest calls in the window before the ratio can open the breaker (so one failure of two does not).</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>
    /// How long the breaker stays open before one probe call is let through; also how long a probe may take before
    /// another is allowed (a probe whose outcome never arrives cannot keep the breaker half-open).
    /// </summary>
    public TimeSpan BreakerOpenDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Also drop L1 entries when Redis itself deletes, expires or evicts a key (a DEL from redis-cli, say), through
    /// keyspace notifications. Costs: Redis publishes an event for every such change in the database, to every
    /// instance; the app sets notify-keyspace-events (needs allowAdmin) or expects it set.
    /// </summary>
    public bool KeyspaceNotifications { get; set; }

    /// <summary>
    /// Fail-safe: how long past its TTL (the soft TTL) an entry is kept, in Redis (its PX is TTL + this) and in this
    /// process, to answer with <c>X-Cache: STALE</c> when PostgreSQL fails or is slow. 0 turns fail-safe off.
    /// </summary>
    public TimeSpan FailSafeMaxStaleness { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// With a stale copy at hand, how long a read waits for PostgreSQL before answering the stale copy; the load goes
    /// on in the background (up to <see cref="LoadTimeout"/>) and refreshes the cache when it completes.
    /// </summary>
    public TimeSpan FactorySoftTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The hard limit of one load (shared by every caller waiting on it): past it the load is cancelled.</summary>
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Refresh-ahead: a hit in the last part of an entry's TTL (0.1 = last 10 %) reloads it in the background. 0: off.</summary>
    public double RefreshAheadRatio { get; set; } = 0.1;

    /// <summary>Bulkhead: loads from PostgreSQL running at once in this instance; past it a read answers stale or 503.</summary>
    public int MaxConcurrentLoads { get; set; } = 32;

    /// <summary>The Retry-After a 503 carries when the cache has nothing to answer with.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan TtlFor(string entryType) => Ttl.TryGetValue(entryType, out var ttl) ? ttl : DefaultTtl;
}
