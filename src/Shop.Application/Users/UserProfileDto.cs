using Shop.Application.Caching;

namespace Shop.Application.Users;

/// <summary>A user's profile. <see cref="Version"/> is the row's concurrency token; write-through orders cache writes by it.</summary>
public sealed record UserProfileDto(int Id, string Name, string Email, string Plan, long Version) : IVersioned;
