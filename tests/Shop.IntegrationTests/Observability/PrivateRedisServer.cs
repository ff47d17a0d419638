using System.Diagnostics;
using Shop.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace Shop.IntegrationTests.Observability;

/// <summary>
/// A redis-server of a test's own, on a free loopback port, for settings the shared test Redis must keep (memory
/// limit, eviction policy: other test classes run against that one in parallel). No persistence; killed on dispose.
/// Tests call <see cref="StartOrSkipAsync"/>: without a redis-server binary on PATH (scripts/test.sh installs one)
/// the test is skipped with that reason rather than failed.
/// </summary>
public sealed class PrivateRedisServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private PrivateRedisServer(Process process, int port, string dir, ConnectionMultiplexer admin)
    {
        _process = process;
        Port = port;
        _dir = dir;
        Admin = admin;
    }

    public int Port { get; }

    /// <summary>An admin connection of the test's own (CONFIG SET, INFO, filling memory).</summary>
    public ConnectionMultiplexer Admin { get; }

    public IServer Server => Admin.GetServer(Admin.GetEndPoints()[0]);

    /// <summary>The connection string an API instance uses (no allowAdmin: the app must cope without it).</summary>
    public string Configuration => $"127.0.0.1:{Port},connectTimeout=1000,abortConnect=false";

    public static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "redis-server")).FirstOrDefault(File.Exists);

    public static async Task<PrivateRedisServer> StartOrSkipAsync(params string[] settings)
    {
        var binary = FindBinary();
        if (binary is null)
            Assert.Skip("redis-server is not on PATH: this test needs a private Redis (run it through scripts/test.sh, which installs redis-server).");

        var port = FreePort.Next();
        var dir = Directory.CreateTempSubdirectory("shop-redis-").FullName;
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--loglevel", "warning" }.Concat(settings))
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true,connectTimeout=500");
                return new PrivateRedisServer(process, port, dir, admin);
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>INFO as a field → value map.</summary>
    public async Task<Dictionary<string, string>> InfoAsync() =>
        (await Server.InfoAsync()).SelectMany(g => g).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public async Task<long> InfoLongAsync(string field) =>
        long.Parse((await InfoAsync())[field], System.Globalization.CultureInfo.InvariantCulture);


    public async ValueTask DisposeAsync()
    {
        await Admin.DisposeAsync();
        try
        {
            if (!_process.HasExited) _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException) { }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
