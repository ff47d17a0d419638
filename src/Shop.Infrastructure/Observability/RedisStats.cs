namespace Shop.Infrastructure.Observability;

/// <summary>Redis's own view: one entry per primary node (one on a standalone server, several on a cluster).</summary>
public sealed record RedisStats(string Mode, IReadOnlyList<RedisNodeStats> Nodes);
