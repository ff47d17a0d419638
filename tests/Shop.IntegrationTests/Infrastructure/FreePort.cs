using System.Net;
using System.Net.Sockets;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>A loopback port nothing listens on right now (the OS picks it), for a server a test starts itself.</summary>
public static class FreePort
{
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
