namespace Shop.Application.Abstractions;

/// <summary>Who sent the request; the API fills it from the JWT. The Application layer never sees HTTP.</summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }
    int? UserId { get; }
    bool IsAdmin { get; }
}
