using Shop.Infrastructure.Observability;

namespace Shop.Api.Observability;

/// <summary>
/// One poll of the live event view: the events after <c>after</c> (oldest first), <see cref="Last"/> to pass as the
/// next <c>after</c>, and how many were overwritten before this poll saw them (<see cref="Missed"/>).
/// </summary>
public sealed record CacheEventsResponse(string Instance, int Capacity, long Last, long Missed, IReadOnlyList<CacheEvent> Events);
