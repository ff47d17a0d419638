namespace Shop.LoadLab.Chaos;

/// <summary>
/// Checks the instrument before it measures: <see cref="ChaosAnalysis"/> on hand-made events whose answers are known
/// (an older read, a read of an unacknowledged write, a late failure, views lost / unanswered / counted against an
/// error). The chaos command refuses to run when one fails, so a broken definition cannot produce a clean table.
/// </summary>
public static class ChaosSelfTest
{
    public static List<string> Run()
    {
        var failures = new List<string>();
        void Expect<T>(string what, T actual, T expected)
        {
            if (!EqualityComparer<T>.Default.Equals(actual, expected)) failures.Add($"{what}: {actual}, expected {expected}");
        }

        static ChaosEvent Read(double sent, int product, decimal? price, int status = 200) => new('r', 0, sent, sent + 5, status, status == 200 ? "L1" : null, null, product, price);
        static ChaosEvent Write(double sent, double done, int product, decimal price, int status = 200) => new('w', 1, sent, done, status, null, null, product, price);
        static ChaosEvent View(double sent, int product, int status) => new('v', 0, sent, sent + 5, status, null, null, product, null);

        // Product 7: 10.01 acknowledged at 100 ms, 10.02 acknowledged at 300 ms, 10.03 sent but timed out.
        var events = new List<ChaosEvent>
        {
            Write(50, 100, 7, 10.01m),
            Write(250, 300, 7, 10.02m),
            Write(400, 5400, 7, 10.03m, ChaosTraffic.TimedOut),
            Read(90, 7, 9.99m),       // before any acknowledgement: not checked
            Read(200, 7, 10.01m),     // current
            Read(290, 7, 10.01m),     // sent before 10.02's 200 arrived: current
            Read(350, 7, 10.01m),     // older: 10.02 was acknowledged at 300, lag 50 ms
            Read(1300, 7, 10.01m),    // older, lag 1,000 ms
            Read(1400, 7, 10.03m),    // the unacknowledged write's value: not older
            Read(1500, 8, 1m),        // a product never written: not checked
            Read(1600, 7, 10.01m) with { Cache = "STALE", AgeSeconds = 2 }, // older, but marked STALE: counted apart, lag 1,300 ms
            Read(2000, 9, null, 503) with { RetryAfter = true, DoneMs = 2040 }, // during the fault, never read before: 503 in 40 ms
            Read(2100, 7, 10.02m),    // during the fault, product 7 was answered before it: previously cached, answered
            Read(6000, 7, null, 500), // fails 1 s after the fault's end
            Read(9000, 7, 10.03m),
        };
        var r = new ScenarioResult { FaultStartS = 1, FaultEndS = 5, EndS = 10 };
        ChaosAnalysis.Analyse(r, events, recoveryWindowS: 2);
        Expect("reads checked against an acknowledged write", r.ReadsChecked, 8L);
        Expect("older reads", r.OlderReads, 2L);
        Expect("largest lag of an older read (ms)", r.OlderMaxLagMs, 1000.0);
        Expect("STALE answers older than an acknowledged write", r.StaleOlder, 1L);
        Expect("their largest lag (ms)", r.StaleOlderMaxLagMs, 1300.0);
        Expect("previously cached reads during the fault", r.PreviouslyCachedDuringFault.Requests, 4L); // product 7 at 1300, 1400, 1600 (STALE), 2100
        Expect("of them answered", r.PreviouslyCachedDuringFault.Ok, 4L);
        Expect("503s to reads during the fault", r.Reads503DuringFault, 1L);
        Expect("503s without Retry-After", r.Reads503WithoutRetryAfter, 0L);
        Expect("p99 of the 503s (ms)", r.Reads503P99Ms, 40.0);
        Expect("answers 500", r.All.Status500, 1L);
        Expect("timeouts", r.All.Timeouts, 1L);
        Expect("recovery (s)", r.RecoveryS, 1.0);
        Expect("recovered", r.Recovered, true);

        var late = new ScenarioResult { FaultStartS = 1, FaultEndS = 5, EndS = 10 };
        ChaosAnalysis.Analyse(late, [Read(9500, 8, null, 503)], recoveryWindowS: 2);
        Expect("a failure in the last window means not recovered", late.Recovered, false);

        // Views: product 1 acknowledged 3 and counted 2 (lost 1); product 2 acknowledged 1, one timed out, counted 2
        // (unanswered, no mismatch); product 3 acknowledged 1, one answered 503, counted 2 (counted against an error).
        var views = new List<ChaosEvent>
        {
            View(1, 1, 202), View(2, 1, 202), View(3, 1, 202),
            View(4, 2, 202), View(5, 2, ChaosTraffic.TimedOut),
            View(6, 3, 202), View(7, 3, 503),
        };
        var v = new ScenarioResult();
        ChaosAnalysis.Views(v, views, new Dictionary<int, long> { [1] = 10, [2] = 0 }, new Dictionary<int, long> { [1] = 12, [2] = 2, [3] = 2, [4] = 5 });
        Expect("views acknowledged", v.ViewsAcknowledged, 5L);
        Expect("views lost", v.ViewsLost, 1L);
        Expect("views counted without an answer", v.ViewsUnanswered, 1L);
        Expect("views counted against an error answer, or twice", v.ViewsExtra, 1L + 5L); // product 4: 5 views nobody sent
        return failures;
    }
}
