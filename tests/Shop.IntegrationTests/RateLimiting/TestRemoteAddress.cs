using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Shop.IntegrationTests.RateLimiting;

/// <summary>
/// The in-memory test server has no socket, so no client address: this startup filter sets the connection's remote
/// address from the <see cref="Header"/> header (and removes it) before the app's pipeline runs, as a socket would.
/// </summary>
public sealed class TestRemoteAddress : IStartupFilter
{
    public const string Header = "X-Test-Remote-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.Remove(Header, out var value)) context.Connection.RemoteIpAddress = IPAddress.Parse(value.ToString());
            return nextMiddleware(context);
        });
        next(app);
    };
}
