using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.OpenApi;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Api.Observability;
using Shop.Api.RateLimiting;
using Shop.Api.Security;
using Shop.Application.Abstractions;

namespace Shop.Api;

internal static class ApiSetup
{
    public const long DefaultMaxRequestBodyBytes = 64 * 1024;

    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddShopAuthentication(configuration);
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        // Malformed JSON and bad parameters throw, so the exception handler answers them as ProblemDetails in every environment.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        services.AddShopMetrics();
        services.AddProxyForwardedHeaders(configuration);
        services.AddClientRateLimiting(configuration);
        // The request as a whole: past Api:RequestTimeout (default 10 s) its token is cancelled and it answers 504
        // (a ProblemDetails body from UseStatusCodePages). Loads and commands have shorter timeouts of their own.
        services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = configuration.GetValue("Api:RequestTimeout", TimeSpan.FromSeconds(10)),
            TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
        });
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Shop API",
                Version = "v1",
                Description = "Reference microservice for Redis caching patterns. In Development, get a token from POST /api/dev/token and press Authorize.",
                License = new OpenApiLicense { Name = "MIT", Url = new Uri("https://opensource.org/licenses/MIT") },
            });
            swagger.AddSecurityDefinition(EndpointSecurity.BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT from your OpenID Connect provider, from `mint-token`, or (Development) from POST /api/dev/token.",
            });
            // Relative: the document describes whichever host serves it.
            swagger.AddServer(new OpenApiServer { Url = "/", Description = "This API" });
            // Only operations that need a token declare it (not a global requirement).
            swagger.OperationFilter<EndpointSecurity.BearerRequirementFilter>();
        });
        return services;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        var maxBody = app.Configuration.GetValue("Api:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        app.UseForwardedHeaders(); // first: everything after sees the client's address (from a known proxy only)
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // 401/403 from the auth middleware get a ProblemDetails body too
        app.UseRequestSizeLimit(maxBody);
        app.UseUtf8Bodies(); // 415 for a charset other than UTF-8, before any body is read
        app.UseCacheHeader();
        // Swagger:Enabled: true in appsettings.Development.json, false in the base file, so off in Production unless asked for.
        var swagger = app.Configuration.GetValue("Swagger:Enabled", false);
        if (swagger)
        {
            app.UseSwagger();
            app.UseSwaggerUI(ui => ui.EnablePersistAuthorization());
        }
        app.UseManagementMetrics(); // /metrics on Management:Port only, before authorization (Prometheus sends no token)
        app.UseShopAuthentication(); // only requests that send an Authorization header (AnonymousRequests)
        app.UseRateLimiter(); // after authentication (a user is limited by id), before authorization (refused calls count)
        app.UseShopAuthorization(); // not for endpoints that allow anonymous callers and state no policy (AnonymousRequests)
        app.UseRequestTimeouts();

        if (swagger) app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription().Public();
        app.MapLiveness("/health/live").Public().WithoutCacheHeader(); // the health-check service's answer with no check, written directly
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).Public().WithoutCacheHeader();
        if (app.Environment.IsDevelopment()) app.MapDevTokenEndpoints();
        app.MapProductEndpoints();
        app.MapCategoryEndpoints();
        app.MapUserEndpoints();
        app.MapPageViewEndpoints();
        app.MapShopMetrics();
        app.MapCacheStatsEndpoints();
        app.MapCacheEventEndpoints();
        return app;
    }
}
