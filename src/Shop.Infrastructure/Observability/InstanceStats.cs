namespace Shop.Infrastructure.Observability;

/// <summary>Which instance answered, and the state of its cache machinery right now.</summary>
public sealed record InstanceStats(string Id, double UptimeSeconds, string Breaker, long L1Entries, bool L1Degraded, bool InvalidationsSubscribed);
