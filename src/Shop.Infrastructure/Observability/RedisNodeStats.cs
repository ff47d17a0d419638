namespace Shop.Infrastructure.Observability;

/// <summary>
/// Fields of one node's INFO, and its latest SLOWLOG entries. <c>KeyspaceHitRate</c> = keyspace_hits /
/// (keyspace_hits + keyspace_misses), over the node's whole uptime and every client (not only this instance).
/// </summary>
public sealed record RedisNodeStats(
    string Endpoint,
    bool Connected,
    string? Error,
    string? Version,
    string? Role,
    long? UptimeSeconds,
    long? KeyspaceHits,
    long? KeyspaceMisses,
    double? KeyspaceHitRate,
    long? UsedMemory,
    string? UsedMemoryHuman,
    long? MaxMemory,
    string? MaxMemoryPolicy,
    double? MemFragmentationRatio,
    long? EvictedKeys,
    long? ExpiredKeys,
    long? ConnectedClients,
    IReadOnlyList<SlowlogEntry> Slowlog);
