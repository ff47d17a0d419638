using System.Net;
using System.Net.Sockets;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP proxy in front of the real Redis that a test can cut and restore, to simulate a Redis outage for one
/// API instance without stopping the Redis other tests share. Stop() refuses new connections and drops open ones.
/// </summary>
public sealed class RedisProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly string _credentials;
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource _cts = new();

    public RedisProxy(string redisConfiguration)
    {
        var parsed = StackExchange.Redis.ConfigurationOptions.Parse(redisConfiguration);
        var endpoint = parsed.EndPoints[0];
        // The proxy forwards bytes: the client behind it still authenticates as the same ACL user.
        _credentials = (parsed.User is null ? "" : $",user={parsed.User}") + (parsed.Password is null ? "" : $",password={parsed.Password}");
        _target = endpoint switch
        {
            IPEndPoint ip => ip,
            DnsEndPoint dns => new IPEndPoint(Dns.GetHostAddresses(dns.Host).First(a => a.AddressFamily == AddressFamily.InterNetwork), dns.Port),
            _ => throw new NotSupportedException(endpoint.ToString()),
        };
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string that goes through this proxy.</summary>
    public string Configuration => $"127.0.0.1:{Port},connectTimeout=500,connectRetry=1,abortConnect=false{_credentials}";

    public void Start()
    {
        _cts = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener, _cts.Token);
    }

    public void Stop()
    {
        _cts.Cancel();
        _listener?.Stop();
        lock (_connections)
        {
            foreach (var c in _connections) c.Dispose();
            _connections.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(ct); }
            catch (Exception) { return; }
            var upstream = new TcpClient();
            try { await upstream.ConnectAsync(_target, ct); }
            catch (Exception) { client.Dispose(); upstream.Dispose(); continue; }
            lock (_connections) { _connections.Add(client); _connections.Add(upstream); }
            _ = PumpAsync(client, upstream, ct);
            _ = PumpAsync(upstream, client, ct);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken ct)
    {
        try { await from.GetStream().CopyToAsync(to.GetStream(), ct); }
        catch (Exception) { }
        finally { from.Dispose(); to.Dispose(); }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        _cts.Dispose();
        return ValueTask.CompletedTask;
    }
}
