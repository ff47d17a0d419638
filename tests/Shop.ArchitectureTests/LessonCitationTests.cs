using System.Text.RegularExpressions;

namespace Shop.ArchitectureTests;

/// <summary>
/// The lessons (docs/lessons/*.md) cite code by path and member name, never by line number; this keeps those citations
/// true while the code moves. Every backticked repository path must exist, and on a bullet that starts with a path
/// (<c>- `src/…/CacheAside.cs`: `GetOrLoadAsync`, …</c>) every backticked identifier after it must occur in that file
/// (in a folder: in one of its files). Every lesson has the parts the index promises, and a runnable .http file.
/// </summary>
public sealed partial class LessonCitationTests
{
    private static readonly string LessonsDir = Path.Combine(RepositoryRoot.Path, "docs", "lessons");

    private static readonly string[] Sections =
        ["## The problem", "## Files to read", "## Sequence", "## Run it", "## What to watch", "## Break it on purpose", "## The test that proves it", "## Measured"];

    [GeneratedRegex(@"`((?:src|tests|http|scripts|docs|db|benchmarks|monitoring)/[^`\s]*)`")]
    private static partial Regex PathToken();

    [GeneratedRegex(@"^\s*- `([^`]+)`(.*)$")]
    private static partial Regex PathBullet();

    [GeneratedRegex(@"`([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)`")]
    private static partial Regex MemberToken();

    public static TheoryData<string> Lessons() =>
        [.. Directory.GetFiles(LessonsDir, "*.md").Select(f => Path.GetFileName(f)).Where(f => f != "README.md").Order()];

    [Fact]
    public void There_are_thirteen_lessons_each_linked_from_the_index()
    {
        var lessons = Lessons().Select(row => row.Data).ToArray();
        Assert.Equal(13, lessons.Length);
        var index = File.ReadAllText(Path.Combine(LessonsDir, "README.md"));
        foreach (var lesson in lessons) Assert.Contains($"]({lesson})", index, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Lessons))]
    public void Every_cited_path_exists_and_every_cited_member_occurs_in_it(string lesson)
    {
        var lines = File.ReadAllLines(Path.Combine(LessonsDir, lesson));
        var problems = new List<string>();
        var citedMembers = 0;
        foreach (var line in lines)
        {
            foreach (Match m in PathToken().Matches(line))
            {
                if (!Exists(m.Groups[1].Value)) problems.Add($"path does not exist: {m.Groups[1].Value}");
            }
            var bullet = PathBullet().Match(line);
            if (!bullet.Success || !PathToken().IsMatch($"`{bullet.Groups[1].Value}`") || !Exists(bullet.Groups[1].Value)) continue;
            var text = Text(bullet.Groups[1].Value);
            foreach (Match member in MemberToken().Matches(bullet.Groups[2].Value))
            {
                citedMembers++;
                var name = member.Groups[1].Value;
                // Type.Member: both parts must occur.
                if (!name.Split('.').All(part => text.Contains(part, StringComparison.Ordinal)))
                    problems.Add($"`{name}` does not occur in {bullet.Groups[1].Value}");
            }
        }
        Assert.True(problems.Count == 0, $"{lesson}:\n" + string.Join("\n", problems));
        Assert.True(citedMembers >= 3, $"{lesson} cites only {citedMembers} members: name the ones that matter");
    }

    [Theory]
    [MemberData(nameof(Lessons))]
    public void Every_lesson_has_every_part_a_diagram_and_its_http_file(string lesson)
    {
        var text = File.ReadAllText(Path.Combine(LessonsDir, lesson));
        foreach (var section in Sections) Assert.Contains(section, text, StringComparison.Ordinal);
        Assert.Contains("```mermaid\nsequenceDiagram", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var number = lesson[..2];
        var http = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "http", "lessons"), $"{number}-*.http");
        var file = Assert.Single(http);
        Assert.Contains($"http/lessons/{Path.GetFileName(file)}", text, StringComparison.Ordinal);
        Assert.Contains("?? header x-cache", File.ReadAllText(file), StringComparison.Ordinal);
    }

    private static bool Exists(string relative)
    {
        var full = Path.Combine(RepositoryRoot.Path, relative.TrimEnd('/'));
        return File.Exists(full) || Directory.Exists(full);
    }

    private static string Text(string relative)
    {
        var full = Path.Combine(RepositoryRoot.Path, relative.TrimEnd('/'));
        return File.Exists(full)
            ? File.ReadAllText(full)
            : string.Join("\n", Directory.GetFiles(full, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
    }
}
