using System.Reflection;
using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Caching;

namespace Shop.Application.Behaviours;

/// <summary>
/// Cache-aside for a batch of ids (<see cref="ICacheableBatchQuery{TItem}"/>): L1 first, then every remaining
/// key from Redis in one round trip, then one handler call (one SQL query) for the ids still missing, whose
/// answers are back-filled. Items share keys with single reads, so a batch warms the cache for them too.
/// </summary>
public sealed class CacheAsideBatchBehaviour<TMessage, TResponse>(ICache cache, CacheTrace trace) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, ICacheableBatchQuery, IMessage
{
    // TResponse is IReadOnlyList<TItem>; the item type is found once per query type, not per request.
    private static readonly Func<CacheAsideBatchBehaviour<TMessage, TResponse>, TMessage, MessageHandlerDelegate<TMessage, TResponse>, CancellationToken, ValueTask<TResponse>>? Run = CreateRunner();

    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        Run is null ? next(message, cancellationToken) : Run(this, message, next, cancellationToken);

    private async ValueTask<TResponse> RunAsync<TItem>(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
        where TItem : class
    {
        var query = (ICacheableBatchQuery<TItem>)message;
        var keys = query.Ids.Select(query.KeyFor).ToArray();
        var batch = await cache.GetManyAsync<TItem>(keys, cancellationToken);
        var cached = batch.Found;

        var missing = query.Ids.Where((_, i) => !cached.ContainsKey(keys[i])).ToArray();
        var loaded = new Dictionary<int, TItem>();
        if (missing.Length > 0)
        {
            var response = await next((TMessage)query.WithIds(missing), cancellationToken);
            foreach (var item in (IReadOnlyList<TItem>)response!) loaded[query.IdOf(item)] = item;
            cache.SetMany(missing.Select(id => KeyValuePair.Create(query.KeyFor(id), loaded.GetValueOrDefault(id))).ToArray());
        }

        trace.Record(missing.Length > 0 ? CacheOutcome.Miss : batch.Outcome);
        var items = new List<TItem>(query.Ids.Count);
        for (var i = 0; i < keys.Length; i++)
        {
            var item = cached.TryGetValue(keys[i], out var hit) ? hit : loaded.GetValueOrDefault(query.Ids[i]);
            if (item is not null) items.Add(item);
        }
        return (TResponse)(object)items.AsReadOnly();
    }

    private static Func<CacheAsideBatchBehaviour<TMessage, TResponse>, TMessage, MessageHandlerDelegate<TMessage, TResponse>, CancellationToken, ValueTask<TResponse>>? CreateRunner()
    {
        var batch = typeof(TMessage).GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICacheableBatchQuery<>));
        if (batch is null) return null;
        var method = typeof(CacheAsideBatchBehaviour<TMessage, TResponse>)
            .GetMethod(nameof(RunAsync), BindingFlags.Instance | BindingFlags.NonPublic)!
            .MakeGenericMethod(batch.GetGenericArguments()[0]);
        return method.CreateDelegate<Func<CacheAsideBatchBehaviour<TMessage, TResponse>, TMessage, MessageHandlerDelegate<TMessage, TResponse>, CancellationToken, ValueTask<TResponse>>>();
    }
}
