using System.Collections.Concurrent;

namespace Shop.Infrastructure.Caching;

/// <summary>
/// Single-flight (request coalescing) within one process: while a load for a key runs, every other caller for
/// that key awaits the same task instead of starting its own. Guarantees: at most one load per key at a time in
/// this process. Does not: coordinate across instances (that is <see cref="RedisLock"/>'s job), or cache the
/// result after the load ends. The shared load ignores callers' cancellation, so one impatient caller cannot
/// fail everyone else's request; each caller still stops waiting when its own token fires.
/// </summary>
public sealed class SingleFlight
{
    private readonly ConcurrentDictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    private long _coalesced;

    /// <summary>Callers that joined another caller's load rather than starting their own (since start).</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);

    /// <summary>Raised with the key when a caller joins a running load (for metrics and the live event view).</summary>
    public event Action<string>? Joined;

    public async Task<T> RunAsync<T>(string key, Func<Task<T>> load, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_inFlight.TryGetValue(key, out var existing))
            {
                Interlocked.Increment(ref _coalesced);
                Joined?.Invoke(key);
                return await ((Task<T>)existing).WaitAsync(cancellationToken);
            }

            var leader = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_inFlight.TryAdd(key, leader.Task)) continue; // lost the race: join the winner

            try
            {
                leader.SetResult(await load());
            }
            catch (Exception ex)
            {
                leader.SetException(ex);
            }
            finally
            {
                _inFlight.TryRemove(new KeyValuePair<string, Task>(key, leader.Task));
            }
            return await leader.Task.WaitAsync(cancellationToken);
        }
    }
}
