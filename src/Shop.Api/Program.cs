using Shop.Api;
using Shop.Application;
using Shop.Infrastructure;
using Shop.Infrastructure.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddApi(builder.Configuration, builder.Environment);

var app = builder.Build();
await app.Services.InitializeDatabaseAsync();
app.UseApi();
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
