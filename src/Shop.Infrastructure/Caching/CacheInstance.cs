namespace Shop.Infrastructure.Caching;

/// <summary>This process's identity on the invalidation channel and in Redis CLIENT LIST (client name shop-{Id}).</summary>
public sealed class CacheInstance
{
    public string Id { get; } = $"{Environment.MachineName}-{Guid.NewGuid():N}"[..Math.Min(64, Environment.MachineName.Length + 13)];
}
