using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.LoadLab.Chaos;

/// <summary>
/// What one request of the chaos traffic got. Times in ms since the traffic started, on the lab's clock. Kind: 'r' product
/// read, 'w' price change, 'v' page view. Status: the HTTP status, or <see cref="ChaosTraffic.ConnectionError"/> /
/// <see cref="ChaosTraffic.TimedOut"/> without one. AgeSeconds: the Age or X-Cache-Age header when the answer carried one.
/// Price: what the read returned, or what the write set. RetryAfter: the answer carried a Retry-After header.
/// </summary>
public sealed record ChaosEvent(char Kind, int Target, double SentMs, double DoneMs, int Status, string? Cache, double? AgeSeconds, int Product, decimal? Price, bool RetryAfter = false);

/// <summary>
/// The steady traffic of a chaos scenario, spread round-robin over the API instances:
/// product reads (Zipf ids) and page-view POSTs each at a constant rate (open loop: a request is sent on schedule
/// whether or not earlier ones answered, so an outage cannot slow the traffic down and hide itself; at most
/// <see cref="MaxInFlight"/> requests per kind in flight, later ones are counted as shed), and one writer that changes
/// the price of each of the 10 hottest products (one writer per product, one change at a time), each to a price higher
/// than any before, so "older" is a comparison of prices. Every request has a timeout. All outcomes are kept as events for <see cref="ChaosAnalysis"/>.
/// </summary>
public sealed class ChaosTraffic : IAsyncDisposable
{
    public const int ConnectionError = 0;
    public const int TimedOut = -1;
    public const int MaxInFlight = 200;

    private readonly string[] _targets;
    private readonly HttpClient[] _clients;
    private readonly Zipf _zipf;
    private readonly int[] _hot;
    private readonly string _token;
    private readonly ConcurrentQueue<ChaosEvent> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly List<Task> _loops = [];
    private long _shed;
    private static long s_priceCents = 1_000_000; // 10,000.00 or above the highest price in the database; only ever increases

    // minimumPrice: the highest price already in the database (earlier runs raised some); every price this traffic
    // sets is above it, so a lower price read back is always an older version.
    public ChaosTraffic(IReadOnlyList<string> targets, Zipf zipf, string token, TimeSpan timeout, decimal minimumPrice = 0)
    {
        var floor = (long)(minimumPrice * 100) + 100;
        long current;
        while ((current = Interlocked.Read(ref s_priceCents)) < floor) Interlocked.CompareExchange(ref s_priceCents, floor, current);
        _targets = [.. targets];
        _clients = [.. targets.Select(t => new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = MaxInFlight,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseCookies = false,
            UseProxy = false,
        })
        { BaseAddress = new Uri(t), Timeout = timeout })];
        _zipf = zipf;
        _hot = [.. zipf.Ids.Take(10)];
        _token = token;
    }

    public double NowMs => Stopwatch.GetElapsedTime(_start).TotalMilliseconds;

    public long Shed => Interlocked.Read(ref _shed);

    public IReadOnlyList<int> HotProducts => _hot;

    /// <summary>Starts the loops: reads and views at these rates (per second, all instances together), writes one at a time at most at writeRate.</summary>
    public void Start(double readRate, double viewRate, double writeRate)
    {
        var ct = _stop.Token;
        _loops.Add(Task.Run(() => OpenLoopAsync(readRate, 11, ReadAsync, ct)));
        _loops.Add(Task.Run(() => OpenLoopAsync(viewRate, 23, ViewAsync, ct)));
        for (var p = 0; p < _hot.Length; p++)
        {
            var product = p;
            _loops.Add(Task.Run(() => WriterAsync(product, writeRate / _hot.Length, ct)));
        }
    }

    public async Task<List<ChaosEvent>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        return [.. _events];
    }

    /// <summary>Sends <paramref name="send"/> every 1/rate s on a fixed schedule; request i goes to instance i mod N.</summary>
    private async Task OpenLoopAsync(double rate, int seed, Func<int, Random, Task> send, CancellationToken ct)
    {
        var random = new Random(seed);
        var inFlight = new List<Task>();
        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        for (long i = 0; !ct.IsCancellationRequested; i++)
        {
            var wait = start + (long)(interval * i) - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency), ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            inFlight.RemoveAll(t => t.IsCompleted);
            if (inFlight.Count >= MaxInFlight)
            {
                Interlocked.Increment(ref _shed);
                continue;
            }
            inFlight.Add(send((int)(i % _targets.Length), random));
        }
        await Task.WhenAll(inFlight);
    }

    private async Task ReadAsync(int target, Random random)
    {
        var id = _zipf.Next(random);
        var sent = NowMs;
        try
        {
            using var response = await _clients[target].GetAsync($"/api/products/{id.ToString(CultureInfo.InvariantCulture)}", HttpCompletionOption.ResponseContentRead);
            decimal? price = null;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                if (json.RootElement.TryGetProperty("price", out var p)) price = p.GetDecimal();
            }
            _events.Enqueue(new ChaosEvent('r', target, sent, NowMs, (int)response.StatusCode, Header(response, "X-Cache"), Age(response), id, price, response.Headers.RetryAfter is not null));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or JsonException)
        {
            _events.Enqueue(new ChaosEvent('r', target, sent, NowMs, Failure(ex), null, null, id, null));
        }
    }

    private async Task ViewAsync(int target, Random random)
    {
        var id = _zipf.Next(random);
        var sent = NowMs;
        try
        {
            using var response = await _clients[target].PostAsync($"/api/products/{id.ToString(CultureInfo.InvariantCulture)}/views", null);
            _events.Enqueue(new ChaosEvent('v', target, sent, NowMs, (int)response.StatusCode, null, null, id, null, response.Headers.RetryAfter is not null));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            _events.Enqueue(new ChaosEvent('v', target, sent, NowMs, Failure(ex), null, null, id, null));
        }
    }

    /// <summary>One writer per hot product: each PUT is answered (or timed out) before the next is sent, so the writes of a product are ordered.</summary>
    private async Task WriterAsync(int product, double rate, CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(1 / rate);
        try
        {
            await Task.Delay(interval * product / _hot.Length, ct); // staggered
        }
        catch (OperationCanceledException)
        {
            return;
        }
        for (var i = 0; !ct.IsCancellationRequested; i++)
        {
            var next = Stopwatch.GetTimestamp();
            var id = _hot[product];
            var target = (i + product) % _targets.Length;
            var price = Interlocked.Increment(ref s_priceCents) / 100m;
            var sent = NowMs;
            try
            {
                using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/products/{id.ToString(CultureInfo.InvariantCulture)}/price") { Content = JsonContent.Create(new { price }) };
                put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
                using var response = await _clients[target].SendAsync(put, CancellationToken.None);
                _events.Enqueue(new ChaosEvent('w', target, sent, NowMs, (int)response.StatusCode, null, null, id, price));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                _events.Enqueue(new ChaosEvent('w', target, sent, NowMs, Failure(ex), null, null, id, price));
            }
            var left = interval - Stopwatch.GetElapsedTime(next);
            if (left <= TimeSpan.Zero) continue;
            try
            {
                await Task.Delay(left, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static int Failure(Exception ex) => ex is TaskCanceledException ? TimedOut : ConnectionError;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>Age (RFC 9111, seconds) or X-Cache-Age (seconds, may be fractional), whichever the answer carries.</summary>
    private static double? Age(HttpResponseMessage response)
    {
        if (response.Headers.Age is { } age) return age.TotalSeconds;
        return Header(response, "X-Cache-Age") is { } text && double.TryParse(text.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        foreach (var c in _clients) c.Dispose();
        _stop.Dispose();
    }
}
