using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
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
        // Every route needs a caller; who may see which user is decided by the AuthorizationBehaviour.
        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        users.MapGet("/{id:int}", async (int id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetUserProfileQuery(id), ct)))
            .WithSummary("A user's profile (that user or an admin).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPost("/", async Task<Created<UserProfileDto>> (CreateUserCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/users/{created.Id}", created);
            })
            .WithSummary("Create a user (admin).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        users.MapPut("/{id:int}/plan", async (int id, ChangePlanRequest body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ChangeUserPlanCommand(id, body.Plan), ct)))
            .WithSummary("Change a user's plan (admin): free, pro or enterprise.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapGet("/{id:int}/preferences", async (int id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetPreferencesQuery(id), ct)))
            .WithSummary("A user's preferences (that user or an admin).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPut("/{id:int}/preferences", async (int id, UpdatePreferencesRequest body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new UpdatePreferencesCommand(id, body.Currency, body.Language, body.MarketingEmails), ct)))
            .WithSummary("Change a user's preferences (that user or an admin).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapGet("/{id:int}/overview", async (int id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetUserOverviewQuery(id), ct)))
            .WithSummary("Profile and preferences together (that user or an admin).")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
