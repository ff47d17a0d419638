using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Shop.LoadLab;

/// <summary>
/// One Shop.Api process (<c>dotnet Shop.Api.dll --urls http://127.0.0.1:PORT</c>) with its own environment, its output in
/// a log file; CPU time and memory read from /proc. Stopped with SIGTERM (graceful), killed if it does not exit.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ApiProcess(Process process, string name, string baseUrl, string log)
    {
        _process = process;
        Name = name;
        BaseUrl = baseUrl;
        LogPath = log;
    }

    public string Name { get; }

    public string BaseUrl { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    /// <summary>Starts the API and waits until /health/live answers; port 0 picks a free port, another one restarts on a known URL.</summary>
    public static async Task<ApiProcess> StartAsync(string dll, string name, IReadOnlyDictionary<string, string> environment, string logDirectory, int port = 0)
    {
        if (port == 0) port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll))!, // appsettings*.json are copied beside the dll
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.GetFullPath(dll));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("Cache__", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        Directory.CreateDirectory(logDirectory);
        var log = Path.Combine(logDirectory, $"api-{name}.log");
        var writer = new StreamWriter(log, append: false) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => { lock (writer) writer.Dispose(); };
        process.EnableRaisingEvents = true;

        var api = new ApiProcess(process, name, url, log);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (180 * Stopwatch.Frequency); // the first start seeds the large data set
        var failures = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Shop.Api ({name}) exited with {process.ExitCode}; see {log}:\n{Tail(log)}");
            try
            {
                using var r = await http.GetAsync(url + "/health/live");
                if (r.IsSuccessStatusCode) return api;
                if (++failures > 20)
                {
                    await api.DisposeAsync();
                    throw new InvalidOperationException($"Shop.Api ({name}) answers /health/live with {(int)r.StatusCode}; see {log}:\n{Tail(log)}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        await api.DisposeAsync();
        throw new TimeoutException($"Shop.Api ({name}) did not answer {url}/health/live; see {log}");
    }

    /// <summary>User + system CPU seconds used so far (from /proc/PID/stat, in clock ticks of 1/100 s).</summary>
    public double CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Resident set (working set) and its peak, in MB, from /proc/PID/status.</summary>
    public (double RssMb, double PeakMb) Memory()
    {
        double Field(string[] lines, string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal)) is { } line
                ? double.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0
                : 0;
        try
        {
            var lines = File.ReadAllLines($"/proc/{Pid}/status");
            return (Field(lines, "VmRSS"), Field(lines, "VmHWM"));
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    public int Port => new Uri(BaseUrl).Port;

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no graceful shutdown, no final flush (a crash, an OOM kill).</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Tail(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(30));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
