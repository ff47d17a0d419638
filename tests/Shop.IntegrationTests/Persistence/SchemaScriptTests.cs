using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.Persistence;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Persistence;

/// <summary>db/postgres/schema.sql (for DBAs and docker-compose) must be what the migrations produce today.</summary>
public sealed class SchemaScriptTests(ShopApp app) : IClassFixture<ShopApp>
{
    private const string Regenerate =
        "dotnet ef migrations script --idempotent -p src/Shop.Infrastructure -s src/Shop.Api -o db/postgres/schema.sql";

    [Fact]
    public async Task Committed_schema_script_matches_the_migrations()
    {
        await using var scope = app.Api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
        var generated = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var path = Path.Combine(RepositoryRoot(), "db", "postgres", "schema.sql");
        Assert.True(File.Exists(path), $"{path} is missing. Generate it from the repository root with:\n  {Regenerate}");
        var committed = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);

        Assert.True(Normalize(committed) == Normalize(generated),
            $"db/postgres/schema.sql is out of date with the EF Core migrations. Regenerate it from the repository root with:\n  {Regenerate}\n" +
            $"First difference at line {FirstDifferentLine(Normalize(committed), Normalize(generated))}.");
    }

    [Fact]
    public void Normalisation_ignores_only_a_bom_and_line_endings()
    {
        Assert.Equal(Normalize("a\nb\n"), Normalize("\uFEFFa\r\nb\r\n"));
        Assert.NotEqual(Normalize("a\nb\n"), Normalize("a\nc\n"));
        Assert.NotEqual(Normalize("a b"), Normalize("a  b"));
    }

    private static string Normalize(string sql) => sql.TrimStart('\uFEFF').ReplaceLineEndings("\n");

    private static int FirstDifferentLine(string a, string b)
    {
        var left = a.Split('\n');
        var right = b.Split('\n');
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            if (left[i] != right[i]) return i + 1;
        }
        return Math.Min(left.Length, right.Length) + 1;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Shop.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Shop.sln above {AppContext.BaseDirectory}.");
    }
}
