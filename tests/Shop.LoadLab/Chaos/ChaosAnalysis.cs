namespace Shop.LoadLab.Chaos;

/// <summary>Requests of one kind (or all) by outcome.</summary>
public sealed record StatusCounts(long Requests, long Ok, long ClientErrors, long ServerErrors, long Status500, long Status503, long Errors, long Timeouts)
{
    public static StatusCounts Of(IEnumerable<ChaosEvent> events)
    {
        long n = 0, ok = 0, c4 = 0, c5 = 0, s500 = 0, s503 = 0, errors = 0, timeouts = 0;
        foreach (var e in events)
        {
            n++;
            switch (e.Status)
            {
                case ChaosTraffic.ConnectionError: errors++; break;
                case ChaosTraffic.TimedOut: timeouts++; break;
                case >= 200 and < 300: ok++; break;
                case >= 400 and < 500: c4++; break;
                case >= 500:
                    c5++;
                    if (e.Status == 500) s500++;
                    if (e.Status == 503) s503++;
                    break;
            }
        }
        return new StatusCounts(n, ok, c4, c5, s500, s503, errors, timeouts);
    }

    public long Failed => Requests - Ok;
}

/// <summary>One second of a scenario's traffic (by send time): requests sent, how many did not succeed, STALE answers.</summary>
public sealed record SecondBucket(int Second, long Sent, long Failed, long Stale);

/// <summary>Everything measured in one scenario.</summary>
public sealed class ScenarioResult
{
    public string Name { get; set; } = "";
    public string Fault { get; set; } = "";
    public string Redis { get; set; } = "";
    public double FaultStartS { get; set; }
    public double FaultEndS { get; set; }
    public double EndS { get; set; }
    public StatusCounts All { get; set; } = StatusCounts.Of([]);
    public StatusCounts Reads { get; set; } = StatusCounts.Of([]);
    public StatusCounts Writes { get; set; } = StatusCounts.Of([]);
    public StatusCounts Views { get; set; } = StatusCounts.Of([]);
    public StatusCounts BeforeFault { get; set; } = StatusCounts.Of([]);
    public StatusCounts DuringFault { get; set; } = StatusCounts.Of([]);
    public StatusCounts ReadsDuringFault { get; set; } = StatusCounts.Of([]);
    public StatusCounts AfterFault { get; set; } = StatusCounts.Of([]);
    public StatusCounts DuringFaultA { get; set; } = StatusCounts.Of([]);
    public StatusCounts DuringFaultB { get; set; } = StatusCounts.Of([]);
    public long Stale { get; set; }
    public double? StaleMaxAgeS { get; set; }
    public long StaleWithoutAge { get; set; }
    public long ReadsChecked { get; set; }
    public long OlderReads { get; set; }
    public double OlderMaxLagMs { get; set; }
    public long StaleOlder { get; set; }
    public Dictionary<string, long> OlderByAnswer { get; set; } = [];
    public List<string> OlderSamples { get; set; } = [];
    public double StaleOlderMaxLagMs { get; set; }
    public StatusCounts PreviouslyCachedDuringFault { get; set; } = StatusCounts.Of([]);
    public List<string> PreviouslyCachedMissed { get; set; } = [];
    public string? Reads503Latency { get; set; }
    public double? ReadsBeforeP99Ms { get; set; }
    public long Reads503DuringFault { get; set; }
    public long Reads503WithoutRetryAfter { get; set; }
    public double? Reads503P99Ms { get; set; }
    public long ViewsAcknowledged { get; set; }
    public long ViewsCounted { get; set; }
    public long ViewsLost { get; set; }
    public long ViewsExtra { get; set; }
    public long ViewsUnanswered { get; set; }
    public long ViewsUnacknowledged { get; set; }
    public long ViewsLeftInRedis { get; set; }
    public double FlushWaitS { get; set; }
    public bool Recovered { get; set; }
    public double? RecoveryS { get; set; }
    public long Shed { get; set; }
    public List<string> Notes { get; set; } = [];
    public List<SecondBucket> Timeline { get; set; } = [];
}

/// <summary>
/// Turns a scenario's events into its figures. The definitions (also in docs/chaos.md):
/// <list type="bullet">
/// <item>Failed: any answer that is not 2xx, a connection error or a timeout.</item>
/// <item>Older read: a product read that was sent after the lab received the 200 of a price change of that product, and
/// returned a lower price than that change set. Prices only ever increase during a run and each product's writer sends one change
/// at a time, so a lower price is an older version. Its lag: send time of the read minus the time the first change that
/// replaced the returned price was acknowledged. A STALE answer (stale-if-error, marked with its age) is counted
/// apart: it may be older than the last write by design, within Cache:FailSafeMaxStaleness.</item>
/// <item>Previously cached read: a read sent during the fault of a product that a read answered 2xx before the fault
/// started (so it was in the caches).</item>
/// <item>Recovery: from the fault's end (dependency answering again, or the killed instance live again) to the send time
/// of the last request that failed; 0 when none failed after the fault ended. Recovered only when every request of the
/// last <c>window</c> seconds of the run succeeded.</item>
/// </list>
/// </summary>
public static class ChaosAnalysis
{
    public static void Analyse(ScenarioResult r, IReadOnlyList<ChaosEvent> events, double recoveryWindowS)
    {
        double startMs = r.FaultStartS * 1000, endMs = r.FaultEndS * 1000;
        r.All = StatusCounts.Of(events);
        r.Reads = StatusCounts.Of(events.Where(e => e.Kind == 'r'));
        r.Writes = StatusCounts.Of(events.Where(e => e.Kind == 'w'));
        r.Views = StatusCounts.Of(events.Where(e => e.Kind == 'v'));
        r.BeforeFault = StatusCounts.Of(events.Where(e => e.SentMs < startMs));
        r.DuringFault = StatusCounts.Of(events.Where(e => e.SentMs >= startMs && e.SentMs < endMs));
        r.ReadsDuringFault = StatusCounts.Of(events.Where(e => e.Kind == 'r' && e.SentMs >= startMs && e.SentMs < endMs));
        r.AfterFault = StatusCounts.Of(events.Where(e => e.SentMs >= endMs));
        r.DuringFaultA = StatusCounts.Of(events.Where(e => e.Target == 0 && e.SentMs >= startMs && e.SentMs < endMs));
        r.DuringFaultB = StatusCounts.Of(events.Where(e => e.Target == 1 && e.SentMs >= startMs && e.SentMs < endMs));

        var stale = events.Where(e => string.Equals(e.Cache, "STALE", StringComparison.OrdinalIgnoreCase)).ToList();
        r.Stale = stale.Count;
        r.StaleWithoutAge = stale.Count(e => e.AgeSeconds is null);
        var ages = stale.Where(e => e.AgeSeconds is not null).Select(e => e.AgeSeconds!.Value).ToList();
        r.StaleMaxAgeS = ages.Count == 0 ? null : ages.Max();

        var cachedBefore = events.Where(e => e.Kind == 'r' && e.DoneMs < startMs && e.Status is >= 200 and < 300).Select(e => e.Product).ToHashSet();
        var previouslyCached = events.Where(e => e.Kind == 'r' && e.SentMs >= startMs && e.SentMs < endMs && cachedBefore.Contains(e.Product)).ToList();
        r.PreviouslyCachedDuringFault = StatusCounts.Of(previouslyCached);
        foreach (var e in previouslyCached.Where(e => e.Status is < 200 or >= 300).Take(10))
            r.PreviouslyCachedMissed.Add($"product {e.Product} on {(e.Target == 0 ? "A" : "B")}, sent at {e.SentMs / 1000:F1} s: {Describe(e.Status)} after {e.DoneMs - e.SentMs:F0} ms");
        var unavailable = events.Where(e => e.Kind == 'r' && e.Status == 503 && e.SentMs >= startMs && e.SentMs < endMs).ToList();
        r.Reads503DuringFault = unavailable.Count;
        r.Reads503WithoutRetryAfter = unavailable.Count(e => !e.RetryAfter);
        r.Reads503P99Ms = unavailable.Count == 0 ? null : Percentile(unavailable.Select(e => e.DoneMs - e.SentMs), 0.99);
        if (unavailable.Count > 0)
        {
            var times = unavailable.Select(e => e.DoneMs - e.SentMs).ToList();
            r.Reads503Latency = $"p50 {Percentile(times, 0.5):F0} ms, p90 {Percentile(times, 0.9):F0} ms, p99 {Percentile(times, 0.99):F0} ms, max {times.Max():F0} ms";
        }

        // Older reads: acknowledged writes per product, in acknowledgement order.
        var acks = events.Where(e => e.Kind == 'w' && e.Status is >= 200 and < 300)
            .GroupBy(e => e.Product)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.DoneMs).ToList());
        foreach (var read in events.Where(e => e.Kind == 'r' && e.Price is not null && acks.ContainsKey(e.Product)))
        {
            var before = acks[read.Product].Where(w => w.DoneMs < read.SentMs).ToList();
            if (before.Count == 0) continue;
            r.ReadsChecked++;
            var latest = before.Max(w => w.Price!.Value);
            if (read.Price!.Value >= latest) continue;
            var replacedAt = before.Where(w => w.Price!.Value > read.Price.Value).Min(w => w.DoneMs);
            if (string.Equals(read.Cache, "STALE", StringComparison.OrdinalIgnoreCase))
            {
                r.StaleOlder++;
                r.StaleOlderMaxLagMs = Math.Max(r.StaleOlderMaxLagMs, read.SentMs - replacedAt);
                continue;
            }
            r.OlderReads++;
            r.OlderMaxLagMs = Math.Max(r.OlderMaxLagMs, read.SentMs - replacedAt);
            var answer = $"{(read.Target == 0 ? "A" : "B")} {read.Cache ?? "?"}";
            r.OlderByAnswer[answer] = r.OlderByAnswer.GetValueOrDefault(answer) + 1;
            if (r.OlderSamples.Count < 20) r.OlderSamples.Add($"read of {read.Product} sent at {read.SentMs:F0} ms on {answer}: lag {read.SentMs - replacedAt:F0} ms");
        }

        // Recovery.
        var lastFailure = events.Where(e => e.Status is < 200 or >= 300).Select(e => e.SentMs).DefaultIfEmpty(double.NegativeInfinity).Max();
        r.RecoveryS = Math.Max(0, (lastFailure - endMs) / 1000);
        r.Recovered = (r.EndS * 1000) - Math.Max(lastFailure, endMs) >= recoveryWindowS * 1000;

        var seconds = (int)Math.Ceiling(r.EndS) + 1;
        var sent = new long[seconds];
        var failed = new long[seconds];
        var staleBySecond = new long[seconds];
        foreach (var e in events)
        {
            var s = Math.Clamp((int)(e.SentMs / 1000), 0, seconds - 1);
            sent[s]++;
            if (e.Status is < 200 or >= 300) failed[s]++;
            if (string.Equals(e.Cache, "STALE", StringComparison.OrdinalIgnoreCase)) staleBySecond[s]++;
        }
        r.Timeline = [.. Enumerable.Range(0, seconds).Select(s => new SecondBucket(s, sent[s], failed[s], staleBySecond[s]))];
    }

    private static string Describe(int status) => status switch
    {
        ChaosTraffic.ConnectionError => "connection error",
        ChaosTraffic.TimedOut => "no answer (timeout)",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The nearest-rank percentile (p in 0..1) of the values.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Views acknowledged (202) per product against the increase of product_view_totals.views over the scenario.</summary>
    public static void Views(ScenarioResult r, IReadOnlyList<ChaosEvent> events, IReadOnlyDictionary<int, long> before, IReadOnlyDictionary<int, long> after)
    {
        var views = events.Where(e => e.Kind == 'v').ToList();
        var acked = views.Where(e => e.Status == 202).GroupBy(e => e.Product).ToDictionary(g => g.Key, g => (long)g.Count());
        // No answer (timeout, connection reset): the view may or may not have been recorded, and either is correct.
        var unknown = views.Where(e => e.Status is ChaosTraffic.TimedOut or ChaosTraffic.ConnectionError).GroupBy(e => e.Product).ToDictionary(g => g.Key, g => (long)g.Count());
        r.ViewsAcknowledged = acked.Values.Sum();
        r.ViewsUnacknowledged = views.Count(e => e.Status != 202);
        foreach (var id in acked.Keys.Union(after.Keys))
        {
            var counted = after.GetValueOrDefault(id) - before.GetValueOrDefault(id);
            var a = acked.GetValueOrDefault(id);
            r.ViewsCounted += counted;
            if (counted < a) r.ViewsLost += a - counted;
            if (counted > a)
            {
                r.ViewsUnanswered += Math.Min(counted - a, unknown.GetValueOrDefault(id));
                r.ViewsExtra += Math.Max(0, counted - a - unknown.GetValueOrDefault(id));
            }
        }
        if (r.ViewsUnanswered > 0)
            r.Notes.Add($"{r.ViewsUnanswered} views counted that got no answer (timeout or reset: may count or not, not a mismatch).");
        if (r.ViewsExtra > 0)
            r.Notes.Add($"{r.ViewsExtra} views counted beyond those answered 202 and those unanswered: counted although the API answered an error (a client that retries counts them twice) or counted twice.");
        if (r.ViewsLost > 0)
            r.Notes.Add($"{r.ViewsLost} views answered 202 were never counted in PostgreSQL.");
    }
}
