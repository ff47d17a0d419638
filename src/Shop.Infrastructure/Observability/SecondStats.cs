namespace Shop.Infrastructure.Observability;

/// <summary>One second of the last minute (unix time <c>T</c>): lookups, requests and their latency, loads.</summary>
public sealed record SecondStats(long T, LookupStats Lookups, long Requests, double? MeanMs, double? P50Ms, double? P99Ms, long Loads, double? LoadMeanMs);
