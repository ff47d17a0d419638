namespace Shop.ArchitectureTests;

/// <summary>The repository root: the folder holding Shop.sln, above the tests' output folder.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Shop.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Shop.sln not found above {AppContext.BaseDirectory}");
    }
}
