using System.Reflection;
using NetArchTest.Rules;

namespace Shop.ArchitectureTests;

/// <summary>
/// The clean-architecture layering: Domain ← Application ← Infrastructure ← Api. Each rule first checks that
/// it selects types, and <see cref="Every_forbidden_name_is_really_used_somewhere"/> checks that each forbidden
/// name is spelt so that it matches real code; so no rule can pass vacuously.
/// </summary>
public sealed class LayerDependencyTests
{
    public static readonly Assembly Domain = typeof(Shop.Domain.Products.Product).Assembly;
    public static readonly Assembly Application = typeof(Shop.Application.DependencyInjection).Assembly;
    public static readonly Assembly Infrastructure = typeof(Shop.Infrastructure.DependencyInjection).Assembly;
    public static readonly Assembly Api = typeof(Program).Assembly;

    private static readonly string[] DomainMustNotUse =
        ["Shop.Application", "Shop.Infrastructure", "Shop.Api", "Microsoft.EntityFrameworkCore", "Mediator", "FluentValidation"];

    private static readonly string[] ApplicationMustNotUse =
        ["Shop.Infrastructure", "Shop.Api", "Microsoft.AspNetCore", "Npgsql", "StackExchange.Redis"];

    private static readonly string[] InfrastructureMustNotUse = ["Shop.Api", "Microsoft.AspNetCore"];

    /// <summary>
    /// Assemblies the Application must not reference. EF Core's relational extensions (FromSql, ExecuteSql, ToTable)
    /// share the Microsoft.EntityFrameworkCore namespace with the core API the Application may use, so only the
    /// assembly reference tells them apart.
    /// </summary>
    private static readonly string[] ApplicationMustNotReference =
    [
        "Shop.Infrastructure", "Shop.Api", "Microsoft.EntityFrameworkCore.Relational", "Npgsql",
        "Npgsql.EntityFrameworkCore.PostgreSQL", "StackExchange.Redis", "Microsoft.AspNetCore",
    ];

    [Fact]
    public void Domain_depends_on_no_other_layer_nor_on_frameworks() =>
        AssertNoDependency(Domain, "Shop.Domain", DomainMustNotUse);

    [Fact]
    public void Domain_references_only_the_base_class_library()
    {
        var references = Domain.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib",
            $"Shop.Domain references {name}"));
    }

    [Fact]
    public void Application_does_not_depend_on_infrastructure_api_web_or_store_drivers() =>
        AssertNoDependency(Application, "Shop.Application", ApplicationMustNotUse);

    [Fact]
    public void Application_does_not_reference_relational_ef_core_npgsql_redis_or_asp_net_core()
    {
        var references = Application.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.Contains("Microsoft.EntityFrameworkCore", references); // the port (DbSet, LINQ) is allowed: the check sees references
        foreach (var forbidden in ApplicationMustNotReference)
        {
            Assert.DoesNotContain(references, name => name == forbidden || name.StartsWith(forbidden + ".", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Infrastructure_does_not_depend_on_the_api() =>
        AssertNoDependency(Infrastructure, "Shop.Infrastructure", InfrastructureMustNotUse);

    [Fact]
    public void Endpoints_talk_to_the_application_through_the_mediator_only()
    {
        // No DbContext, no store client, no Infrastructure type in an endpoint: reads and writes go through handlers.
        AssertNoDependency(Api, "Shop.Api.Endpoints", "Shop.Infrastructure", "Microsoft.EntityFrameworkCore", "Npgsql", "StackExchange.Redis");
    }

    [Fact]
    public void Every_forbidden_name_is_really_used_somewhere()
    {
        // A misspelt name ("Shop.Infrastucture") would make its rule pass forever; each must match real dependencies.
        foreach (var name in DomainMustNotUse.Concat(ApplicationMustNotUse).Concat(InfrastructureMustNotUse).Distinct())
        {
            var users = Types.InAssemblies([Domain, Application, Infrastructure, Api]).That().HaveDependencyOn(name).GetTypes();
            Assert.True(users.Any(), $"No type in the solution depends on '{name}': the rule naming it cannot fail.");
        }
        var solution = new[] { Domain, Application, Infrastructure, Api };
        var referenced = solution.SelectMany(a => a.GetReferencedAssemblies()).Concat(solution.Select(a => a.GetName()))
            .Select(a => a.Name!).ToHashSet();
        foreach (var name in ApplicationMustNotReference)
        {
            Assert.True(referenced.Any(r => r == name || r.StartsWith(name + ".", StringComparison.Ordinal)),
                $"No assembly of the solution is or references '{name}': the rule naming it cannot fail.");
        }
    }

    [Fact]
    public void The_dependency_check_catches_a_real_violation()
    {
        // Control: the same check, pointed at a layer that does use Npgsql, must fail and name the types.
        var result = Types.InAssembly(Infrastructure).That().ResideInNamespace("Shop.Infrastructure").ShouldNot().HaveDependencyOn("Npgsql").GetResult();
        Assert.False(result.IsSuccessful);
        Assert.Contains(result.FailingTypeNames, name => name.StartsWith("Shop.Infrastructure.", StringComparison.Ordinal));
    }

    private static void AssertNoDependency(Assembly assembly, string ns, params string[] forbidden)
    {
        var selected = Types.InAssembly(assembly).That().ResideInNamespace(ns).GetTypes().ToList();
        Assert.True(selected.Count > 0, $"No type of {assembly.GetName().Name} resides in {ns}: the rule would pass vacuously.");

        var result = Types.InAssembly(assembly).That().ResideInNamespace(ns).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.True(result.IsSuccessful,
            $"{ns} must not depend on {string.Join(", ", forbidden)}; offending types: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }
}
