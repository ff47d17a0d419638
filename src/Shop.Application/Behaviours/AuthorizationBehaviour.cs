using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Common;

namespace Shop.Application.Behaviours;

/// <summary>
/// Runs before validation and before any cache lookup, so a cached entry is never served to a caller
/// who may not read it. Requests opt in with <see cref="IAdminRequest"/> or <see cref="IUserScopedRequest"/>.
/// </summary>
public sealed class AuthorizationBehaviour<TMessage, TResponse>(ICurrentUser currentUser)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case IAdminRequest:
                Demand(currentUser.IsAdmin, "This operation requires the admin role.");
                break;
            case IUserScopedRequest scoped:
                Demand(currentUser.IsAdmin || currentUser.UserId == scoped.UserId, "Users may only access their own data.");
                break;
        }
        return next(message, cancellationToken);
    }

    private void Demand(bool allowed, string reason)
    {
        if (!currentUser.IsAuthenticated) throw new UnauthenticatedException();
        if (!allowed) throw new ForbiddenAccessException(reason);
    }
}
