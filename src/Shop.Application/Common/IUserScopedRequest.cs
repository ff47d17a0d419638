namespace Shop.Application.Common;

/// <summary>Marks a request about one user's data: that user or an admin may send it.</summary>
public interface IUserScopedRequest
{
    int UserId { get; }
}
