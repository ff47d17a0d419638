using Mediator;
using Shop.Application.Common;

namespace Shop.ArchitectureTests;

/// <summary>
/// Every mediator request says who may send it, by implementing exactly one of IAdminRequest, IUserScopedRequest or
/// IPublicRequest: the AuthorizationBehaviour enforces the first two on every call (defence in depth behind the
/// endpoint policies), and a request that declares nothing would be public by omission.
/// </summary>
public sealed class AuthorizationDeclarationTests
{
    private static readonly Type[] Markers = [typeof(IAdminRequest), typeof(IUserScopedRequest), typeof(IPublicRequest)];

    private static List<Type> Requests() =>
        [.. LayerDependencyTests.Application.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMessage).IsAssignableFrom(t))];

    [Fact]
    public void Requests_are_found()
    {
        var requests = Requests();
        Assert.True(requests.Count >= 13, $"only {requests.Count} requests: {string.Join(", ", requests.Select(r => r.Name))}");
        Assert.Contains(requests, r => r.Name == "ChangeProductPriceCommand");
        Assert.Contains(requests, r => r.Name == "GetProductQuery");
    }

    [Fact]
    public void Every_request_declares_exactly_one_authorization_marker()
    {
        Assert.All(Requests(), request =>
        {
            var declared = Markers.Where(m => m.IsAssignableFrom(request)).Select(m => m.Name).ToList();
            Assert.True(declared.Count == 1,
                $"{request.FullName} declares {(declared.Count == 0 ? "no authorization" : string.Join(" and ", declared))}: " +
                "implement exactly one of IAdminRequest, IUserScopedRequest, IPublicRequest");
        });
    }

    [Fact]
    public void Writes_are_never_public_except_page_views()
    {
        // Commands change state: only counting a page view is open to anonymous callers (rate-limited at the edge).
        var publicCommands = Requests()
            .Where(r => typeof(IPublicRequest).IsAssignableFrom(r) && r.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>)))
            .Select(r => r.Name).ToList();
        Assert.Equal(["RecordPageViewCommand"], publicCommands);
    }
}
