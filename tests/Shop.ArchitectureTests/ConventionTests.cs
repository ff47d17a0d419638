using System.Reflection;
using FluentValidation;
using NetArchTest.Rules;
using Shop.Application.Abstractions;
using Shop.Application.Caching;

namespace Shop.ArchitectureTests;

/// <summary>Conventions a reader relies on: where handlers and validators live and how they are named.</summary>
public sealed class ConventionTests
{
    private static readonly Assembly[] Solution =
        [LayerDependencyTests.Domain, LayerDependencyTests.Application, LayerDependencyTests.Infrastructure, LayerDependencyTests.Api];

    /// <summary>Concrete types of the solution implementing a Mediator handler interface (IQueryHandler, ICommandHandler, …).</summary>
    private static List<Type> Handlers() =>
        [.. Solution.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && t.GetInterfaces().Any(IsMediatorHandler))];
    // Generic definitions are left out: Infrastructure's DeferredQueryHandler<,,> only forwards to a feature's handler.

    private static bool IsMediatorHandler(Type i) =>
        i.IsGenericType && i.Namespace == "Mediator" && i.Name.Contains("Handler`", StringComparison.Ordinal);

    private static List<Type> Validators() =>
        [.. Solution.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IValidator).IsAssignableFrom(t))];

    [Fact]
    public void Handlers_are_found()
    {
        // At least one query and one command handler per feature folder; the rules below would pass on none.
        var handlers = Handlers();
        Assert.True(handlers.Count >= 12, $"only {handlers.Count} handlers found: {string.Join(", ", handlers.Select(h => h.Name))}");
        Assert.Contains(handlers, h => h.Name == "GetProductQueryHandler");
        Assert.Contains(handlers, h => h.Name == "ChangeProductPriceCommandHandler");
    }

    [Fact]
    public void Handlers_are_sealed() =>
        Assert.All(Handlers(), h => Assert.True(h.IsSealed, $"{h.FullName} must be sealed"));

    [Fact]
    public void A_cached_querys_handler_depends_on_the_database_port_and_singletons_only()
    {
        // DeferredQueryHandler builds it on a miss, in the load's own DI scope, which may outlive the request: anything
        // request-specific (CacheTrace, ICurrentUser) would be a fresh, empty copy there, not the request's.
        var cached = Handlers().Where(h => IsCachedQuery(h.GetInterfaces().First(IsMediatorHandler).GetGenericArguments()[0])).ToList();
        Assert.True(cached.Count >= 5, $"only {cached.Count} cached query handlers found: the rule would pass vacuously");
        Assert.All(cached, h => Assert.All(h.GetConstructors().Single().GetParameters(), p =>
            Assert.True(p.ParameterType == typeof(IShopDbContext) || p.ParameterType == typeof(TimeProvider),
                $"{h.Name} takes {p.ParameterType.Name}: a cached query's handler may take IShopDbContext and singletons only")));
    }

    private static bool IsCachedQuery(Type query) =>
        typeof(ICacheableQuery).IsAssignableFrom(query)
        || query.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICacheableBatch<>));

    [Fact]
    public void Handlers_live_in_the_application()
    {
        Assert.All(Handlers(), h =>
        {
            Assert.True(h.Assembly == LayerDependencyTests.Application, $"{h.FullName} lives in {h.Assembly.GetName().Name}");
            Assert.StartsWith("Shop.Application.", h.Namespace, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Handlers_are_named_after_their_message()
    {
        Assert.All(Handlers(), h =>
        {
            Assert.EndsWith("Handler", h.Name, StringComparison.Ordinal);
            var message = h.GetInterfaces().First(IsMediatorHandler).GetGenericArguments()[0];
            Assert.Equal(message.Name + "Handler", h.Name);
            Assert.Equal(message.Namespace, h.Namespace); // the feature folder holds the message and its handler
        });
    }

    [Fact]
    public void Types_named_handler_are_sealed_netarchtest()
    {
        var selection = Types.InAssembly(LayerDependencyTests.Application).That().HaveNameEndingWith("Handler");
        Assert.NotEmpty(selection.GetTypes());
        var result = Types.InAssembly(LayerDependencyTests.Application).That().HaveNameEndingWith("Handler").And().AreClasses()
            .Should().BeSealed().GetResult();
        Assert.True(result.IsSuccessful, $"not sealed: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Validators_are_found() => Assert.True(Validators().Count >= 12, $"only {Validators().Count} validators found");

    [Fact]
    public void Validators_are_named_Validator_after_their_message_and_live_in_the_application()
    {
        Assert.All(Validators(), v =>
        {
            Assert.EndsWith("Validator", v.Name, StringComparison.Ordinal);
            Assert.True(v.Assembly == LayerDependencyTests.Application, $"{v.FullName} lives in {v.Assembly.GetName().Name}");
            var validated = v.GetInterfaces().First(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>)).GetGenericArguments()[0];
            Assert.Equal(validated.Name + "Validator", v.Name);
            Assert.Equal(validated.Namespace, v.Namespace); // the feature folder holds the message and its validator
        });
    }

    [Fact]
    public void Validators_are_sealed() =>
        Assert.All(Validators(), v => Assert.True(v.IsSealed, $"{v.FullName} must be sealed"));

    [Fact]
    public void Types_named_validator_are_validators()
    {
        var named = Solution.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.Name.EndsWith("Validator", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(named);
        Assert.All(named, t => Assert.True(typeof(IValidator).IsAssignableFrom(t), $"{t.FullName} is named like a validator but is none"));
    }
}
