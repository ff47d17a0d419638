namespace Shop.Infrastructure.Caching;

/// <summary>The state of the <see cref="RedisCircuitBreaker"/>.</summary>
public enum BreakerState
{
    Closed,
    Open,
    HalfOpen,
}
