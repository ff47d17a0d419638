using Microsoft.Extensions.Options;

namespace Shop.Api.RateLimiting;

/// <summary>The bounded per-client partitions of each kind of limit, one set per instance.</summary>
internal sealed class ClientRateLimits(IOptions<RateLimitingOptions> options)
{
    public ClientPartitions Reads { get; } = new("reads", options.Value.Reads, options.Value.MaxClients);

    public ClientPartitions Writes { get; } = new("writes", options.Value.Writes, options.Value.MaxClients);

    public ClientPartitions PageViews { get; } = new("page-views", options.Value.PageViews, options.Value.MaxClients);

    /// <summary>Per-client limiters alive now, all kinds together.</summary>
    public int Count => Reads.Count + Writes.Count + PageViews.Count;
}
