using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Shop.IntegrationTests.Observability;

/// <summary>An <see cref="ILoggerProvider"/> that keeps every log entry of one API instance, for assertions.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string Message);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IReadOnlyList<Entry> From(string category) => [.. _entries.Where(e => e.Category == category)];

    /// <summary>Waits (bounded) until an entry matches: the startup check runs in the background.</summary>
    public async Task<Entry?> WaitForAsync(Func<Entry, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_entries.FirstOrDefault(match) is { } found) return found;
            await Task.Delay(50);
        }
        return _entries.FirstOrDefault(match);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, formatter(state, exception)));
    }
}
