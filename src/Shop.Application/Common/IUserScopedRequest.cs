using Shop.Application.Abstractions;

namespace Shop.Application.Common;

/// <summary>Marks a request about one user's data: that user or an admin may send it.</summary>
public interface IUserScopedRequest : IRestrictedRequest
{
    int UserId { get; }

    bool IRestrictedRequest.Allows(ICurrentUser user) => user.IsAdmin || user.UserId == UserId;

    string IRestrictedRequest.Denial => "Users may only access their own data.";
}
