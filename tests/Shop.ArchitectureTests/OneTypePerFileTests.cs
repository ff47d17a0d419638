namespace Shop.ArchitectureTests;

/// <summary>
/// Every source file under src/ declares one top-level type and is named after it, so a reader finds a type by its
/// file name. EF Core migrations (generated) and bin/obj are not read. Exceptions are listed below with the reason.
/// </summary>
public sealed class OneTypePerFileTests
{
    private static readonly string Root = RepositoryRoot.Path;

    /// <summary>Files allowed to break the rule (path from the repository root, '/' separated) and why.</summary>
    /// Each entry is a tiny closed family that a reader follows as one thing: keeping it in one file takes a file off
    /// the request paths the README traces (docs/caching.md, "Files on a request's way").
    private static readonly Dictionary<string, string> AllowList = new(StringComparer.Ordinal)
    {
        ["src/Shop.Application/Abstractions/ICacheAside.cs"] = "the port, its answer (CacheResult) and where it was answered (CacheOutcome)",
        ["src/Shop.Application/Caching/CacheKeys.cs"] = "the key type (CacheKey) beside the only place keys are built",
        ["src/Shop.Application/Caching/IInvalidatesCache.cs"] = "the write's marker and the CacheInvalidation it returns",
        ["src/Shop.Application/Common/IRestrictedRequest.cs"] = "the access-rule interface and its two rules (IAdminRequest, IUserScopedRequest)",
        ["src/Shop.Application/Products/ProductPageDto.cs"] = "the page DTO and the RatingDto it holds",
        ["src/Shop.Infrastructure/Caching/RedisCircuitBreaker.cs"] = "the breaker and its BreakerState",
        ["src/Shop.Infrastructure/Caching/Serialization/JsonCacheSerializer.cs"] = "the serializer and its source-generated CacheJsonContext",
        ["src/Shop.Infrastructure/Observability/CacheEventLog.cs"] = "the log and the CacheEventKind of its entries",
    };

    [Fact]
    public void Every_source_file_declares_one_type_named_like_the_file()
    {
        var files = SourceFiles();
        Assert.True(files.Count > 100, $"only {files.Count} source files found under {Root}/src: the rule would pass vacuously");

        var problems = files
            .Where(file => !AllowList.ContainsKey(file))
            .SelectMany(file => TopLevelTypes.Problems(file, File.ReadAllText(Path.Combine(Root, file))))
            .ToList();

        Assert.True(problems.Count == 0, "One top-level type per file, named after it:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_allow_listed_file_exists_and_still_breaks_the_rule()
    {
        // An entry whose file was split or removed must leave the list, so the list only shrinks.
        Assert.All(AllowList.Keys, file =>
        {
            var path = Path.Combine(Root, file);
            Assert.True(File.Exists(path), $"{file} is allow-listed but does not exist: remove the entry");
            Assert.True(TopLevelTypes.Problems(file, File.ReadAllText(path)).Count > 0,
                $"{file} is allow-listed but follows the rule now: remove the entry");
        });
    }

    [Fact]
    public void The_checker_flags_two_top_level_types_in_one_file() =>
        Assert.Single(TopLevelTypes.Problems("Pair.cs", """
            namespace Sample;

            public enum Colour { Red }

            public sealed record Pair(Colour Left, Colour Right);
            """));

    [Fact]
    public void The_checker_flags_a_type_in_a_file_named_otherwise() =>
        Assert.Equal(["Things.cs declares Thing: name the file Thing.cs"], TopLevelTypes.Problems("Things.cs", "namespace Sample; public sealed class Thing;"));

    [Fact]
    public void The_checker_counts_types_of_every_kind_in_block_namespaces_too()
    {
        const string source = """
            namespace Sample
            {
                public interface IThing;
                internal struct Point;
                public delegate void Changed();
                public static class Things
                {
                    public sealed class Nested;
                }
            }
            """;
        Assert.Equal(["IThing", "Point", "Changed", "Things"], TopLevelTypes.Declared(source));
    }

    [Fact]
    public void The_checker_accepts_one_generic_type_with_nested_types()
    {
        const string source = """
            namespace Sample;

            /// <summary>A page.</summary>
            public sealed record PagedList<T>(IReadOnlyList<T> Items)
            {
                public sealed record Cursor(int Page);
                private enum Kind { First }
            }
            """;
        Assert.Empty(TopLevelTypes.Problems("PagedList.cs", source));
    }

    /// <summary>The hand-written C# files under src/, relative to the root with '/' separators.</summary>
    private static List<string> SourceFiles() =>
        [.. Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(path => !path.Split('/').Any(part => part is "bin" or "obj" or "Migrations"))
            .Where(path => !path.EndsWith(".g.cs", StringComparison.Ordinal) && !path.EndsWith(".Designer.cs", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}
