namespace Shop.Application.Common;

/// <summary>No authenticated caller (401).</summary>
public sealed class UnauthenticatedException() : Exception("Authentication is required.");
