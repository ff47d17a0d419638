using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Shop.Api.Security;

/// <summary>
/// How an endpoint states who may call it, in one word at the route: <see cref="Public"/>, <see cref="ForAdmins"/> or
/// <see cref="ForSelfOrAdmin"/>. Each also documents the 401/403 answers it adds, so the OpenAPI document matches.
/// </summary>
internal static class EndpointSecurity
{
    public const string BearerScheme = "Bearer";

    /// <summary>No token needed (public reads, page views, health).</summary>
    public static TBuilder Public<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AllowAnonymous().WithCommonProblems();

    public static RouteHandlerBuilder ForAdmins(this RouteHandlerBuilder builder) =>
        builder.RequireAuthorization(Policies.Admin).WithCommonProblems()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    public static RouteHandlerBuilder ForSelfOrAdmin(this RouteHandlerBuilder builder) =>
        builder.RequireAuthorization(Policies.SelfOrAdmin).WithCommonProblems()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>
    /// Documents the answers any route can give besides its own: 429 (the per-client rate limit), 503 (PostgreSQL or Redis
    /// unavailable with nothing cached to answer), 504 (the request timeout); and, on routes that read a body, 413 (too
    /// large) and 415 (not UTF-8 JSON). All are ProblemDetails. Runs when the endpoint is built, after the body
    /// parameter's metadata was inferred.
    /// </summary>
    private static TBuilder WithCommonProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            foreach (var status in (int[])[StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable, StatusCodes.Status504GatewayTimeout])
                Problem(endpoint, status);
            if (!endpoint.Metadata.OfType<IAcceptsMetadata>().Any()) return;
            Problem(endpoint, StatusCodes.Status413PayloadTooLarge);
            Problem(endpoint, StatusCodes.Status415UnsupportedMediaType);
        });
        return builder;
    }

    private static void Problem(EndpointBuilder endpoint, int status) =>
        endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));

    /// <summary>
    /// Adds the bearer requirement only to operations that need a token (the endpoint has an authorization policy, or
    /// none at all and so gets the fallback, and does not allow anonymous callers): public operations carry none, so
    /// generated clients and contract proxies neither send nor demand a token there.
    /// </summary>
    public sealed class BearerRequirementFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            operation.Security ??= [];
            // Public: an explicit empty list ("security": []) says "no token", rather than leaving it unsaid.
            if (metadata.OfType<IAllowAnonymous>().Any()) return;
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
            });
        }
    }
}
