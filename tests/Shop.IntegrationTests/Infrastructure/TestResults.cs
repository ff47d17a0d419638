namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Figures a test measured, written to artifacts/test-results/ (git-ignored) so scripts and the README can quote them.</summary>
public static class TestResults
{
    public static void Write(string fileName, string text)
    {
        var directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Shop.sln"))) directory = Path.GetDirectoryName(directory);
        var folder = Path.Combine(directory ?? AppContext.BaseDirectory, "artifacts", "test-results");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, fileName), $"{DateTimeOffset.UtcNow:u} {text}{Environment.NewLine}");
    }
}
