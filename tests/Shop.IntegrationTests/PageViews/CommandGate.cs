using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Shop.IntegrationTests.PageViews;

/// <summary>
/// Deterministic faults and pauses inside one API instance's database access, in the test host only (an EF Core
/// interceptor, like <see cref="Infrastructure.DatabaseGate"/>). Armed, the next command whose text contains
/// <c>sqlContains</c> (and not <c>unless</c>) stops and reports <see cref="Reached"/>, then when released:
/// <list type="bullet">
/// <item><see cref="Fault.Pause"/>: runs normally (to slip something in before a statement).</item>
/// <item><see cref="Fault.CrashBeforeCommit"/>: throws, the statement never reaches PostgreSQL: the process "died"
/// after the Redis move and before the commit.</item>
/// <item><see cref="Fault.CrashAfterCommit"/>: the statement ran and committed, then the caller gets an exception:
/// the process "died" between the commit and the cleanup in Redis.</item>
/// </list>
/// </summary>
public sealed class CommandGate(string sqlContains, string? unless = null) : DbCommandInterceptor
{
    public enum Fault
    {
        Pause,
        CrashBeforeCommit,
        CrashAfterCommit,
    }

    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Fault? _armed;
    private int _seen;

    /// <summary>Matching commands seen so far, armed or not.</summary>
    public int Seen => Volatile.Read(ref _seen);

    public Task Reached => _reached.Task;

    public void Arm(Fault fault)
    {
        _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _armed = fault;
    }

    public void Release() => _release.TrySetResult();

    private bool Take(DbCommand command, Fault fault)
    {
        if (_armed != fault || !Matches(command)) return false;
        lock (this)
        {
            if (_armed != fault) return false;
            _armed = null;
        }
        return true;
    }

    private bool Matches(DbCommand command) =>
        command.CommandText.Contains(sqlContains, StringComparison.Ordinal)
        && (unless is null || !command.CommandText.Contains(unless, StringComparison.Ordinal));

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (Matches(command)) Interlocked.Increment(ref _seen);
        foreach (var fault in new[] { Fault.Pause, Fault.CrashBeforeCommit })
        {
            if (!Take(command, fault)) continue;
            _reached.TrySetResult();
            await _release.Task;
            if (fault == Fault.CrashBeforeCommit) throw new SimulatedCrashException("before the commit");
        }
        return result;
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (Take(command, Fault.CrashAfterCommit))
        {
            await result.DisposeAsync(); // the single statement completes, and so commits
            _reached.TrySetResult();
            await _release.Task;
            throw new SimulatedCrashException("after the commit");
        }
        return result;
    }
}

public sealed class SimulatedCrashException(string where) : Exception($"Simulated crash {where}.");
