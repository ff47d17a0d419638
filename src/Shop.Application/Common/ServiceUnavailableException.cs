namespace Shop.Application.Common;

/// <summary>
/// A store the request cannot be answered without is unreachable (503 + Retry-After); nothing was written.
/// <see cref="RetryAfter"/> is the hint the client gets (null: the API's default).
/// </summary>
public sealed class ServiceUnavailableException(string message, Exception? inner = null, TimeSpan? retryAfter = null) : Exception(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
