using Shop.Domain.Users;

namespace Shop.Application.Common;

/// <summary>The API spells plans in lower case ("free", "pro", "enterprise").</summary>
public static class Plans
{
    public static readonly string[] Names = [.. Enum.GetValues<Plan>().Select(ToName)];

    public static string ToName(Plan plan) => plan.ToString().ToLowerInvariant();

    /// <summary>For names a validator has already accepted.</summary>
    public static Plan Parse(string name) =>
        TryParse(name, out var plan) ? plan : throw new ArgumentException($"Unknown plan '{name}'.", nameof(name));

    public static bool TryParse(string? name, out Plan plan)
    {
        plan = default;
        return name is not null && Names.Contains(name) && Enum.TryParse(name, ignoreCase: true, out plan);
    }
}
