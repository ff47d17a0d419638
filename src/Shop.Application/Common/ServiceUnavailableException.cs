namespace Shop.Application.Common;

/// <summary>A store the request cannot be answered without is unreachable (503); nothing was written.</summary>
public sealed class ServiceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
