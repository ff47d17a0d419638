namespace Shop.Application.Abstractions;

/// <summary>Where a cached read was answered from; the API shows it as the X-Cache header.</summary>
public enum CacheOutcome
{
    L1 = 1,
    L2 = 2,
    Miss = 3,
}
