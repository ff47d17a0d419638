using Shop.Api;
using Shop.Api.Security;
using Shop.Application;
using Shop.Application.Behaviours;
using Shop.Infrastructure;
using Shop.Infrastructure.Persistence;

var builder = WebApplication.CreateBuilder(args);
// Docker/Kubernetes secrets: one file per setting, named like the environment variable (Auth__SigningKey,
// ConnectionStrings__Postgres, ...), read from Secrets:Directory (default /run/secrets) when it exists.
builder.Configuration.AddKeyPerFile(builder.Configuration["Secrets:Directory"] ?? "/run/secrets", optional: true, reloadOnChange: false);

if (args is [MintTokenCommand.Name, ..])
    return MintTokenCommand.Run(args, builder.Configuration, builder.Environment, Console.Out, Console.Error);

// Outside Development, refuse to start with a configuration that is unsafe or cannot work: one log line, exit code 1.
if (StartupSafety.Refuse(builder.Configuration, builder.Environment)) return 1;

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
if (args is ["migrate", ..])
{
    // A deployment step: apply the migrations as the owner role (ConnectionStrings:PostgresMigrations), then exit.
    await app.Services.MigrateAndSeedAsync(migrate: true);
    return 0;
}
await app.Services.InitializeDatabaseAsync();
app.UseApi();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
