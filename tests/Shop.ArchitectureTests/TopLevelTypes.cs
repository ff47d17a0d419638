using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Shop.ArchitectureTests;

/// <summary>
/// Reads the top-level type declarations of one C# source file (classes, records, structs, interfaces, enums,
/// delegates; nested types do not count) with Roslyn's parser, and says how the file breaks the rule "one type per
/// file, the file named after it". Parses text only: no compilation, so it needs no references.
/// </summary>
public static class TopLevelTypes
{
    /// <summary>The names of the types declared at the top level of <paramref name="source"/> (generic arity dropped).</summary>
    public static IReadOnlyList<string> Declared(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview)).GetCompilationUnitRoot();
        return [.. root.DescendantNodes(node => node is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .Where(node => node.Parent is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .Select(NameOf)
            .OfType<string>()];
    }

    /// <summary>What is wrong with the file <paramref name="fileName"/> holding <paramref name="source"/>; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(string fileName, string source)
    {
        var types = Declared(source);
        var expected = Path.GetFileNameWithoutExtension(fileName);
        return types.Count switch
        {
            0 => [],
            1 when types[0] == expected => [],
            1 => [$"{fileName} declares {types[0]}: name the file {types[0]}.cs"],
            _ => [$"{fileName} declares {types.Count} top-level types ({string.Join(", ", types)}): one per file"],
        };
    }

    private static string? NameOf(SyntaxNode node) => node switch
    {
        BaseTypeDeclarationSyntax type => type.Identifier.ValueText, // class, record, struct, interface, enum
        DelegateDeclarationSyntax @delegate => @delegate.Identifier.ValueText,
        _ => null,
    };
}
