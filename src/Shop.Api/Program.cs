using Shop.Api;
using Shop.Api.Security;
using Shop.Application;
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
