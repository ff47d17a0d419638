namespace Shop.Application.Common;

/// <summary>The request collides with the current state: duplicate key or a concurrent update (409).</summary>
public sealed class ConflictException(string message, Exception? inner = null) : Exception(message, inner);
