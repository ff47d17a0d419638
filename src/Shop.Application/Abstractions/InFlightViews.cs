namespace Shop.Application.Abstractions;

/// <summary>A batch of views moved out of the pending counters and not yet cleaned up after its flush.</summary>
public readonly record struct InFlightViews(Guid BatchId, long Views);
