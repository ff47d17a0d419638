namespace Shop.Application.Common;

/// <summary>The resource does not exist (404).</summary>
public sealed class NotFoundException(string resource, object key)
    : Exception($"{resource} {key} was not found.")
{
    public string Resource { get; } = resource;
    public object Key { get; } = key;
}

/// <summary>The request collides with the current state: duplicate key or a concurrent update (409).</summary>
public sealed class ConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>No authenticated caller (401).</summary>
public sealed class UnauthenticatedException() : Exception("Authentication is required.");

/// <summary>The caller is known but may not do this (403).</summary>
public sealed class ForbiddenAccessException(string message) : Exception(message);

/// <summary>A store the request cannot be answered without is unreachable (503); nothing was written.</summary>
public sealed class ServiceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
