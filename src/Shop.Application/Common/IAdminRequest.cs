using Shop.Application.Abstractions;

namespace Shop.Application.Common;

/// <summary>Marks a request that only an admin may send.</summary>
public interface IAdminRequest : IRestrictedRequest
{
    bool IRestrictedRequest.Allows(ICurrentUser user) => user.IsAdmin;

    string IRestrictedRequest.Denial => "This operation requires the admin role.";
}
