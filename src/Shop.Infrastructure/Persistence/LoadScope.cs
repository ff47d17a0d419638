using Microsoft.Extensions.DependencyInjection;

namespace Shop.Infrastructure.Persistence;

/// <summary>
/// A cache load's own DI scope. A load may outlive the request that started it (a fail-safe read answers a stale copy
/// after <c>Cache:FactorySoftTimeout</c> and lets the load finish in the background; refresh-ahead runs after the
/// response), so it must not use the request's pooled <see cref="ShopDbContext"/>, which goes back to the pool when the
/// request ends. Within <see cref="RunAsync{T}"/>, <see cref="Caching.DeferredQueryHandler{TQuery, TResponse, THandler}"/>
/// builds the query's handler, and so its context, from this scope.
/// </summary>
public static class LoadScope
{
    private static readonly AsyncLocal<IServiceProvider?> Ambient = new();

    public static IServiceProvider? Current => Ambient.Value;

    public static async Task<T> RunAsync<T>(IServiceScopeFactory scopes, Func<Task<T>> body)
    {
        await using var scope = scopes.CreateAsyncScope();
        Ambient.Value = scope.ServiceProvider; // flows into body's awaits only, not back to the caller
        return await body();
    }
}
