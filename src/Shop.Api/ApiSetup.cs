using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.OpenApi;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Api.Observability;
using Shop.Api.Security;
using Shop.Application.Abstractions;

namespace Shop.Api;

internal static class ApiSetup
{
    public const long DefaultMaxRequestBodyBytes = 64 * 1024;

    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddShopAuthentication(configuration, environment);
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        // Malformed JSON and bad parameters throw, so the exception handler answers them as ProblemDetails in every environment.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        services.AddShopMetrics();
        services.AddPageViewRateLimiter(configuration);
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
            });
            swagger.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "Paste the accessToken from POST /api/dev/token (Development only).",
            });
            swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("Bearer", document)] = [],
            });
        });
        return services;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        var maxBody = app.Configuration.GetValue("Api:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // 401/403 from the auth middleware get a ProblemDetails body too
        app.UseRequestSizeLimit(maxBody);
        app.UseCacheHeader();
        app.UseSwagger();
        app.UseSwaggerUI(ui => ui.EnablePersistAuthorization());
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // after authentication: page views are limited per user, else per IP
        app.UseRequestTimeouts();

        app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        if (app.Environment.IsDevelopment()) app.MapDevTokenEndpoints();
        app.MapProductEndpoints();
        app.MapCategoryEndpoints();
        app.MapUserEndpoints();
        app.MapPageViewEndpoints();
        app.MapShopMetrics();
        app.MapCacheStatsEndpoints();
        return app;
    }
}
