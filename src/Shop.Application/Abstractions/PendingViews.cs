namespace Shop.Application.Abstractions;

/// <summary>
/// One product's views that Redis holds: <see cref="Pending"/> (not yet moved) and the batches in flight, which
/// PostgreSQL may or may not have applied yet (the batch id tells). <see cref="Moves"/> changes whenever a flusher
/// moves pending views into a batch, so a reader can tell whether a view it counted as pending has moved since.
/// </summary>
public sealed record PendingViews(long Pending, IReadOnlyList<InFlightViews> InFlight, long Moves);
