using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Application.Behaviours;

/// <summary>
/// Checks the access rule a request declares (<see cref="IAdminRequest"/>, <see cref="IUserScopedRequest"/>, both
/// <see cref="IRestrictedRequest"/>) before validation and before any cache lookup, so a cached entry is never served
/// to a caller who may not read it: 401 without a user, 403 when the rule refuses. Public requests do not satisfy the
/// type constraint, so Mediator does not put this behaviour in their pipeline at all.
/// </summary>
public sealed class AuthorizationBehaviour<TMessage, TResponse>(ICurrentUser currentUser)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IRestrictedRequest, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (!currentUser.IsAuthenticated) throw new UnauthenticatedException();
        if (!message.Allows(currentUser)) throw new ForbiddenAccessException(message.Denial);
        return next(message, cancellationToken);
    }
}
