using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Behaviours;
using Shop.Application.Common;
using Shop.Application.Products;
using Shop.Application.Products.ChangeProductPrice;
using Shop.Application.Users;
using Shop.Application.Users.GetUserProfile;

namespace Shop.UnitTests.Application;

/// <summary>
/// The access rules the markers carry, as AuthorizationBehaviour applies them behind the endpoint policies (defence in
/// depth): 401 without a user, 403 when the rule refuses, and the handler never reached in either case.
/// </summary>
public sealed class AuthorizationBehaviourTests
{
    private static readonly User Anonymous = new(false, null, false);
    private static readonly User Admin = new(true, 1, true);
    private static readonly User Seven = new(true, 7, false);
    private static readonly User Eight = new(true, 8, false);

    [Fact]
    public async Task An_admin_request_passes_for_an_admin_only()
    {
        var command = new ChangeProductPriceCommand(1, 9.99m);

        Assert.True(await Reaches<ChangeProductPriceCommand, ProductPageDto>(Admin, command));
        await Assert.ThrowsAsync<UnauthenticatedException>(() => Reaches<ChangeProductPriceCommand, ProductPageDto>(Anonymous, command));
        var denied = await Assert.ThrowsAsync<ForbiddenAccessException>(() => Reaches<ChangeProductPriceCommand, ProductPageDto>(Seven, command));
        Assert.Contains("admin", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_scoped_request_passes_for_that_user_and_an_admin_only()
    {
        var query = new GetUserProfileQuery(7);

        Assert.True(await Reaches<GetUserProfileQuery, UserProfileDto>(Seven, query));
        Assert.True(await Reaches<GetUserProfileQuery, UserProfileDto>(Admin, query));
        await Assert.ThrowsAsync<ForbiddenAccessException>(() => Reaches<GetUserProfileQuery, UserProfileDto>(Eight, query));
        await Assert.ThrowsAsync<UnauthenticatedException>(() => Reaches<GetUserProfileQuery, UserProfileDto>(Anonymous, query));
    }

    /// <summary>True if the behaviour called the next step (the handler); its exception otherwise.</summary>
    private static async Task<bool> Reaches<TMessage, TResponse>(ICurrentUser user, TMessage message)
        where TMessage : IRestrictedRequest, IMessage
    {
        var reached = false;
        var behaviour = new AuthorizationBehaviour<TMessage, TResponse>(user);
        await behaviour.Handle(message, (_, _) =>
        {
            reached = true;
            return ValueTask.FromResult(default(TResponse)!);
        }, TestContext.Current.CancellationToken);
        return reached;
    }

    private sealed record User(bool IsAuthenticated, int? UserId, bool IsAdmin) : ICurrentUser;
}
