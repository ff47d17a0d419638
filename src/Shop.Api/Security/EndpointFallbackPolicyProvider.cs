using Microsoft.AspNetCore.Authorization;

namespace Shop.Api.Security;

/// <summary>
/// Applies the fallback policy to every endpoint that states no policy, but not to a request that matched no endpoint
/// at all: an unknown URL stays a 404 (the stock behaviour would answer 401 to anonymous callers, telling them
/// nothing useful and hiding real 404s from every client).
/// </summary>
internal sealed class EndpointFallbackPolicyProvider(
    Microsoft.Extensions.Options.IOptions<AuthorizationOptions> options, IHttpContextAccessor accessor) : IAuthorizationPolicyProvider
{
    private readonly DefaultAuthorizationPolicyProvider _inner = new(options);

    public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() =>
        accessor.HttpContext?.GetEndpoint() is null ? Task.FromResult<AuthorizationPolicy?>(null) : _inner.GetFallbackPolicyAsync();

    public Task<AuthorizationPolicy> GetDefaultPolicyAsync() => _inner.GetDefaultPolicyAsync();

    public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) => _inner.GetPolicyAsync(policyName);
}
