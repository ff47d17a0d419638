using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Shop.Application.Abstractions;
using Shop.Application.Behaviours;

namespace Shop.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<CacheTrace>();
        services.AddMediator(options =>
        {
            // Transient, not Scoped: the mediator, the handlers and the behaviours hold no state of their own, and a transient
            // service is created without an entry in the request scope's dictionary of resolved services (Scoped put five
            // there per request: mediator, handler, behaviour list and each behaviour, resizing the dictionary twice).
            // What is truly per request stays scoped and is shared as before: the DbContext lease (IShopDbContext),
            // CacheTrace and ICurrentUser. Every send still runs inside the caller's scope (the request's), as before.
            options.ServiceLifetime = ServiceLifetime.Transient;
            // The pipeline, outermost first. The source generator reads this list at compile time, so it must stay a
            // literal here, in the project that references Mediator.SourceGenerator. A behaviour runs only for the
            // requests whose marker its type constraint names:
            //
            //   behaviour                    switched on by                                  why here
            //   LoggingBehaviour             commands (IBaseCommand)                         outermost: times each write, logs its failure once
            //   AuthorizationBehaviour       IRestrictedRequest (IAdminRequest,              before any cache: nothing cached reaches a caller who may not see it;
            //                                IUserScopedRequest; each carries its rule)      public requests (IPublicRequest) do not get it
            //   ValidationBehaviour          a FluentValidation validator for the request    bad input is a 400 before any cache or handler
            //   CachePrefetchBehaviour       ICachePrefetchingQuery                          fills L1 before the composite's inner reads
            //   CacheVersionBehaviour        ICacheVersionedQuery<TSelf>                     puts the current version (e.g. a category's) in the key
            //   CacheAsideBehaviour          ICacheableQuery                                 single key: L1 -> L2 -> single-flight + lock -> handler
            //   CacheAsideBatchBehaviour     ICacheableBatchQuery<TItem>                     many keys: L1 -> MGET -> handler for the rest
            //   CacheInvalidationBehaviour   IInvalidatesCache<TResponse>                    after the handler's commit: delete + publish
            //   WriteThroughBehaviour        IWriteThroughCommand                            after the handler's commit: compare-and-set + publish
            options.PipelineBehaviors =
            [
                typeof(LoggingBehaviour<,>),
                typeof(AuthorizationBehaviour<,>),
                typeof(ValidationBehaviour<,>),
                typeof(CachePrefetchBehaviour<,>),
                typeof(CacheVersionBehaviour<,>),
                typeof(CacheAsideBehaviour<,>),
                typeof(CacheAsideBatchBehaviour<,>),
                typeof(CacheInvalidationBehaviour<,>),
                typeof(WriteThroughBehaviour<,>),
            ];
        });
        return services;
    }
}
