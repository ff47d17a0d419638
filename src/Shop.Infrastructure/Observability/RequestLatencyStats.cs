namespace Shop.Infrastructure.Observability;

/// <summary>Latency of the API's /api routes (not /metrics, health or the stats polling), estimated from buckets.</summary>
public sealed record RequestLatencyStats(long Requests, double? MeanMs, double? P50Ms, double? P99Ms);
