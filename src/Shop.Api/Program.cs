using Shop.Api;
using Shop.Application;
using Shop.Application.Behaviours;
using Shop.Infrastructure;
using Shop.Infrastructure.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddApi(builder.Configuration, builder.Environment);

// The source generator writes AddMediator for this project and reads this list at compile time, so it must be
// a literal here. Outermost first: authorization precedes validation and every cache behaviour, so nothing is
// read from or written to a cache for a caller who may not see it.
builder.Services.AddMediator(options =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.Assemblies = [typeof(Shop.Application.DependencyInjection)];
    options.PipelineBehaviors =
    [
        typeof(LoggingBehaviour<,>),
        typeof(AuthorizationBehaviour<,>),
        typeof(ValidationBehaviour<,>),
        typeof(CachePrefetchBehaviour<,>),
        typeof(CacheAsideBehaviour<,>),
        typeof(CacheAsideBatchBehaviour<,>),
        typeof(CacheInvalidationBehaviour<,>),
        typeof(WriteThroughBehaviour<,>),
    ];
});

var app = builder.Build();
await app.Services.InitializeDatabaseAsync();
app.UseApi();
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
