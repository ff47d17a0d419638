namespace Shop.Infrastructure.Persistence.Seeding;

/// <summary>How much deterministic data to load into an empty database.</summary>
public sealed record SeedSize(int Categories, int Products, int Reviews, int Users)
{
    public static readonly SeedSize Demo = new(50, 2_000, 20_000, 500);
    public static readonly SeedSize Large = new(200, 100_000, 1_000_000, 10_000);

    /// <summary>"none", "demo" or "large" (the <c>Database:Seed</c> setting).</summary>
    public static SeedSize? FromName(string? name) => name?.ToLowerInvariant() switch
    {
        null or "" or "none" => null,
        "demo" => Demo,
        "large" => Large,
        _ => throw new ArgumentException($"Database:Seed must be none, demo or large, not '{name}'."),
    };
}
