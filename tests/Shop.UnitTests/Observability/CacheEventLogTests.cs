using Shop.Infrastructure.Observability;

namespace Shop.UnitTests.Observability;

/// <summary>The live event view's ring: bounded, incremental, filterable, allocation-free to record, never torn.</summary>
public sealed class CacheEventLogTests
{
    [Fact]
    public void Keeps_the_last_capacity_events_and_counts_the_overwritten_ones_as_missed()
    {
        var log = new CacheEventLog();
        for (var i = 1; i <= 2000; i++) log.Record(CacheEventKind.L1Hit, "{product:1}");

        var (events, last, missed) = log.Read(0, null, CacheEventLog.Capacity);

        Assert.Equal(2000, last);
        Assert.Equal(CacheEventLog.Capacity, events.Count);
        Assert.Equal(2000 - CacheEventLog.Capacity, missed);
        Assert.Equal(2000 - CacheEventLog.Capacity + 1, events[0].Seq);
        Assert.Equal(2000, events[^1].Seq);
    }

    [Fact]
    public void Reading_after_the_last_sequence_number_returns_only_newer_events_filtered_by_key()
    {
        var log = new CacheEventLog();
        log.Record(CacheEventKind.Miss, "{product:42}");
        log.Record(CacheEventKind.L1Hit, "{product:42}");
        var (_, last, _) = log.Read(0, null, 100);
        log.Record(CacheEventKind.InvalidationSent, "{pricing:42}");
        log.Record(CacheEventKind.Load, "{product:42}", durationMs: 1.23456);
        log.Record(CacheEventKind.L2Hit, "{product:7}");

        var (events, newLast, missed) = log.Read(last, "PRODUCT:42", 100);

        Assert.Equal(5, newLast);
        Assert.Equal(0, missed);
        var only = Assert.Single(events);
        Assert.Equal(("{product:42}", "db", "load", 1.235), (only.Key, only.Level, only.Outcome, only.DurationMs));
    }

    [Fact]
    public void Limit_keeps_the_newest_events()
    {
        var log = new CacheEventLog();
        for (var i = 0; i < 10; i++) log.Record(CacheEventKind.L1Hit, "{product:1}");
        var (events, _, _) = log.Read(0, null, 3);
        Assert.Equal([8L, 9L, 10L], events.Select(e => e.Seq));
    }

    [Fact]
    public void Recording_allocates_nothing()
    {
        var log = new CacheEventLog();
        const string key = "{product:1}";
        log.Record(CacheEventKind.L1Hit, key); // first call: JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) log.Record(CacheEventKind.L1Hit, key);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task Concurrent_writers_never_show_a_reader_a_half_written_event()
    {
        // Each writer writes a key and a detail that belong together; a torn slot would pair one writer's key with another's detail.
        var pairs = Enumerable.Range(0, 4).Select(i => ($"{{product:{i}}}", $"writer-{i}")).ToArray();
        var log = new CacheEventLog();
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var writers = pairs.Select(p => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested) log.Record(CacheEventKind.L1Hit, p.Item1, p.Item2);
        })).ToArray();
        var checkedEvents = 0L;
        while (!stop.IsCancellationRequested)
        {
            var (events, _, _) = log.Read(0, null, CacheEventLog.Capacity);
            foreach (var e in events) Assert.Equal(pairs.Single(p => p.Item1 == e.Key).Item2, e.Detail);
            checkedEvents += events.Count;
        }
        await Task.WhenAll(writers);
        Assert.True(checkedEvents > 0);
    }
}
