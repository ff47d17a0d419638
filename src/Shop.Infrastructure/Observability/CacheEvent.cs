namespace Shop.Infrastructure.Observability;

/// <summary>One event as the event view shows it. <c>Level</c>: l1 | l2 | db | process; <c>Outcome</c>: l1_hit, miss, load, …</summary>
public sealed record CacheEvent(long Seq, DateTimeOffset Time, string Key, string Level, string Outcome, double? DurationMs, string? Detail);
