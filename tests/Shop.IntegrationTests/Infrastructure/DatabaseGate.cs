using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// A barrier inside one API instance's database access, for deterministic race tests (no sleeps): once armed, the
/// next matching event stops there until the test releases it. Readers stop right after a SELECT whose text
/// contains <c>sqlContains</c> ran (they hold the pre-write snapshot); writers stop right after SaveChanges committed.
/// Fail makes the next matching SaveChanges throw instead, to simulate a failed database write.
/// </summary>
public sealed class DatabaseGate(string sqlContains = "") : DbCommandInterceptor, ISaveChangesInterceptor
{
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armedReads;
    private int _armedWrites;
    private int _failWrites;

    public Task Reached => _reached.Task;

    public void ArmNextRead() { Reset(); Interlocked.Exchange(ref _armedReads, 1); }

    public void ArmNextSave() { Reset(); Interlocked.Exchange(ref _armedWrites, 1); }

    public void FailNextSave() => Interlocked.Exchange(ref _failWrites, 1);

    public void Release() => _release.TrySetResult();

    private void Reset()
    {
        _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.Contains(sqlContains, StringComparison.Ordinal) && Interlocked.Exchange(ref _armedReads, 0) == 1)
        {
            _reached.TrySetResult();
            await _release.Task;
        }
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        Interlocked.Exchange(ref _failWrites, 0) == 1
            ? throw new DbUpdateException("Injected failure: the database write did not happen.")
            : ValueTask.FromResult(result);

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _armedWrites, 0) == 1)
        {
            _reached.TrySetResult();
            await _release.Task;
        }
        return result;
    }
}
