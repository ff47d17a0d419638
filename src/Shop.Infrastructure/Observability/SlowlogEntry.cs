namespace Shop.Infrastructure.Observability;

/// <summary>One SLOWLOG entry: the command (arguments shortened) and how long Redis spent executing it.</summary>
public sealed record SlowlogEntry(long Id, DateTime Time, double DurationMs, string Command);
