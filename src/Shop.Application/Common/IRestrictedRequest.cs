using Shop.Application.Abstractions;

namespace Shop.Application.Common;

/// <summary>
/// A request that declares an access rule, which <see cref="Behaviours.AuthorizationBehaviour{TMessage, TResponse}"/>
/// checks before validation and before any cache. Requests do not implement it directly: they declare
/// <see cref="IAdminRequest"/> or <see cref="IUserScopedRequest"/>, which each carry their rule. Requests that declare
/// <see cref="IPublicRequest"/> do not implement it, so the behaviour is not even built for them.
/// </summary>
public interface IRestrictedRequest
{
    /// <summary>Whether this authenticated caller may send the request.</summary>
    bool Allows(ICurrentUser user);

    /// <summary>The reason given in the 403 when <see cref="Allows"/> is false.</summary>
    string Denial { get; }
}

/// <summary>Marks a request that only an admin may send.</summary>
public interface IAdminRequest : IRestrictedRequest
{
    bool IRestrictedRequest.Allows(ICurrentUser user) => user.IsAdmin;

    string IRestrictedRequest.Denial => "This operation requires the admin role.";
}

/// <summary>Marks a request about one user's data: that user or an admin may send it.</summary>
public interface IUserScopedRequest : IRestrictedRequest
{
    int UserId { get; }

    bool IRestrictedRequest.Allows(ICurrentUser user) => user.IsAdmin || user.UserId == UserId;

    string IRestrictedRequest.Denial => "Users may only access their own data.";
}
