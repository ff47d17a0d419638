using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Shop.LoadLab.Chaos;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of Redis that adds a settable delay to every reply: what an API instance sees when
/// its Redis is slow (a saturated server, a far network). Each chunk read from Redis is stamped on arrival and written
/// to the client at arrival + <see cref="Delay"/>, in order, so the delay is added once per round trip without capping
/// throughput (pipelined replies are not queued behind each other's delays).
/// Guarantees: bytes are relayed unchanged and in order in both directions. Does not: cut or drop connections (the
/// Redis-down scenario stops the server itself), or add jitter.
/// </summary>
public sealed class LatencyProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _cts = new();
    private readonly List<TcpClient> _connections = [];
    private long _delayTicks;

    public LatencyProxy(int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync(_cts.Token);
    }

    public int Port { get; }

    /// <summary>Added to every reply from Redis; changed at any time, effective for chunks that arrive afterwards.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(_target, ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }
            client.NoDelay = upstream.NoDelay = true;
            lock (_connections) _connections.AddRange([client, upstream]);
            _ = PumpAsync(client, upstream, delayed: false, ct);
            _ = PumpAsync(upstream, client, delayed: true, ct);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool delayed, CancellationToken ct)
    {
        var queue = Channel.CreateUnbounded<(long Due, byte[] Data)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var (due, data) in queue.Reader.ReadAllAsync(ct))
                {
                    var wait = due - DateTime.UtcNow.Ticks;
                    if (wait > 0) await Task.Delay(TimeSpan.FromTicks(wait), ct);
                    await to.GetStream().WriteAsync(data, ct);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
            finally
            {
                to.Dispose();
                from.Dispose();
            }
        }, ct);
        var buffer = new byte[64 * 1024];
        try
        {
            var stream = from.GetStream();
            while (true)
            {
                var n = await stream.ReadAsync(buffer, ct);
                if (n == 0) break;
                var due = DateTime.UtcNow.Ticks + (delayed ? Interlocked.Read(ref _delayTicks) : 0);
                queue.Writer.TryWrite((due, buffer[..n]));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        queue.Writer.TryComplete();
        await writer;
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var c in _connections) c.Dispose();
            _connections.Clear();
        }
        _cts.Dispose();
    }
}
