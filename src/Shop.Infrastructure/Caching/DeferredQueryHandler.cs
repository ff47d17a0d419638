using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Shop.Infrastructure.Persistence;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Stands in for a cached query's handler, so that a cache hit builds neither the handler nor its DbContext lease. The
/// generated mediator resolves a query's handler before it runs the behaviours; registered in its place by
/// <c>AddInfrastructure</c>, this resolves the real handler only when the cache behaviour calls <c>next</c>, that is on a
/// miss, and from the load's own scope (<see cref="LoadScope"/>) when there is one: a load may outlive the request, whose
/// scope is then disposed. (It lives here, not in Application, because Mediator's source generator refuses a
/// generic handler type in the project it runs in.)
/// Guarantees: the handler runs as it would have; a load in its own scope (single-key reads, refresh-ahead) builds it
/// there, any other load (batch reads, which run within the request) in the request's scope. A cached query's handler
/// may therefore depend on nothing request-specific: only the database port and singletons (an architecture test checks
/// it). Does not: change anything for a query that is not cached (its handler is registered as Mediator registers it).
/// </summary>
public sealed class DeferredQueryHandler<TQuery, TResponse, THandler>(IServiceProvider services) : IQueryHandler<TQuery, TResponse>
    where TQuery : IQuery<TResponse>
    where THandler : IQueryHandler<TQuery, TResponse>
{
    public ValueTask<TResponse> Handle(TQuery query, CancellationToken cancellationToken) =>
        (LoadScope.Current ?? services).GetRequiredService<THandler>().Handle(query, cancellationToken);
}
