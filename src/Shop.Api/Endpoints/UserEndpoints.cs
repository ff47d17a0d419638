using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Security;
using Shop.Application.Users;
using Shop.Application.Users.ChangeUserPlan;
using Shop.Application.Users.CreateUser;
using Shop.Application.Users.GetPreferences;
using Shop.Application.Users.GetUserOverview;
using Shop.Application.Users.GetUserProfile;
using Shop.Application.Users.UpdatePreferences;

namespace Shop.Api.Endpoints;

internal static class UserEndpoints
{
    public sealed record ChangePlanRequest(string Plan);

    public sealed record UpdatePreferencesRequest(string Currency, string Language, bool MarketingEmails);

    public static void MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        // Who may call each route is decided here, before the body is bound or validated: admins, or the user the
        // route's {id} names. The AuthorizationBehaviour checks the same on the request again (defence in depth).
        var users = app.MapGroup("/api/users").WithTags("Users");

        users.MapGet("/{id:int}", async (int id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetUserProfileQuery(id), ct)))
            .WithName("GetUserProfile")
            .WithSummary("A user's profile (that user or an admin).")
            .ForSelfOrAdmin()
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPost("/", async Task<Created<UserProfileDto>> (CreateUserCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/users/{created.Id}", created);
            })
            .WithName("CreateUser")
            .WithoutCacheHeader() // the handler reads nothing through the cache
            .WithSummary("Create a user (admin).")
            .ForAdmins()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        users.MapPut("/{id:int}/plan", async (int id, ChangePlanRequest body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ChangeUserPlanCommand(id, body.Plan), ct)))
            .WithName("ChangeUserPlan")
            .WithoutCacheHeader() // the handler reads nothing through the cache
            .WithSummary("Change a user's plan (admin): free, pro or enterprise.")
            .ForAdmins()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapGet("/{id:int}/preferences", async (int id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetPreferencesQuery(id), ct)))
            .WithName("GetUserPreferences")
            .WithSummary("A user's preferences (that user or an admin).")
            .ForSelfOrAdmin()
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPut("/{id:int}/preferences", async (int id, UpdatePreferencesRequest body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new UpdatePreferencesCommand(id, body.Currency, body.Language, body.MarketingEmails), ct)))
            .WithName("UpdateUserPreferences")
            .WithoutCacheHeader() // the handler reads nothing through the cache
            .WithSummary("Change a user's preferences (that user or an admin).")
            .ForSelfOrAdmin()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapGet("/{id:int}/overview", async (int id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetUserOverviewQuery(id), ct)))
            .WithName("GetUserOverview")
            .WithSummary("Profile and preferences together (that user or an admin).")
            .ForSelfOrAdmin()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
