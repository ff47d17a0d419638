using Shop.Application.Abstractions;
using Shop.Application.Caching;

namespace Shop.Application.Behaviours;

/// <summary>The steps of <see cref="CacheAsideBatchBehaviour{TMessage, TResponse}"/>, with the item type known.</summary>
internal static class CacheAsideBatch
{
    public static async ValueTask<IReadOnlyList<TItem>> ReadThroughAsync<TItem>(
        ICacheableBatchQuery<TItem> query, IBatchCacheRead cache, CacheTrace trace,
        Func<ICacheableBatch<IReadOnlyList<TItem>>, CancellationToken, ValueTask<IReadOnlyList<TItem>>> load,
        CancellationToken cancellationToken)
        where TItem : class
    {
        var keys = query.Ids.Select(query.KeyFor).ToArray();
        var batch = await cache.GetManyAsync<TItem>(keys, cancellationToken);
        var cached = batch.Found;

        var missing = query.Ids.Where((_, i) => !cached.ContainsKey(keys[i])).ToArray();
        var loaded = new Dictionary<int, TItem>();
        if (missing.Length > 0)
        {
            foreach (var item in await load(query.WithIds(missing), cancellationToken)) loaded[query.IdOf(item)] = item;
            cache.Fill(batch, missing.Select(id => KeyValuePair.Create(query.KeyFor(id), loaded.GetValueOrDefault(id))).ToArray());
        }

        trace.Record(missing.Length > 0 ? CacheOutcome.Miss : batch.Outcome);
        var items = new List<TItem>(query.Ids.Count);
        for (var i = 0; i < keys.Length; i++)
        {
            var item = cached.TryGetValue(keys[i], out var hit) ? hit : loaded.GetValueOrDefault(query.Ids[i]);
            if (item is not null) items.Add(item);
        }
        return items.AsReadOnly();
    }
}
