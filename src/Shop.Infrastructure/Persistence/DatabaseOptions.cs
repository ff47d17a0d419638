namespace Shop.Infrastructure.Persistence;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply EF Core migrations at startup.</summary>
    public bool MigrateOnStartup { get; set; }

    /// <summary>none, demo or large: deterministic data loaded into an empty database at startup.</summary>
    public string Seed { get; set; } = "none";
}
