using Mediator;
using Microsoft.EntityFrameworkCore;
using Shop.Application.Abstractions;
using Shop.Application.Products.GetProduct;

namespace Shop.Application.PageViews.GetPageViews;

/// <summary>
/// Views = flushed total in PostgreSQL + what Redis still holds, without counting a view twice or missing one while a
/// flusher moves and applies batches concurrently (read-your-writes: never lower than the views already acknowledged).
/// <list type="number">
/// <item>Redis first: the product's pending views and each in-flight batch's share of it.</item>
/// <item>PostgreSQL second, in one statement (one snapshot): the flushed total and which of those batches it already
/// contains. A batch it contains counts once, from PostgreSQL; a batch it does not, from Redis. Any view acknowledged
/// before step 1 is in one of the two by then (a flusher deletes a batch from Redis only after its commit).</item>
/// <item>Redis again: if a flusher moved pending views into a new batch between steps 1 and 2, that batch may have
/// reached PostgreSQL too and be counted twice; read again (bounded: after the last attempt the answer may be high by
/// that one batch, never low).</item>
/// </list>
/// </summary>
public sealed class GetPageViewsQueryHandler(ISender sender, IPageViewCounter counter, IShopDbContext db) : IQueryHandler<GetPageViewsQuery, PageViewsDto>
{
    private const int Attempts = 3;

    public async ValueTask<PageViewsDto> Handle(GetPageViewsQuery query, CancellationToken cancellationToken)
    {
        await sender.Send(new GetProductQuery(query.ProductId), cancellationToken); // 404 for an unknown product

        long views;
        var attempt = 0;
        while (true)
        {
            attempt++;
            var pending = await counter.ReadPendingAsync(query.ProductId, cancellationToken);
            var (flushed, applied) = await ReadFlushedAsync(query.ProductId, [.. pending.InFlight.Select(b => b.BatchId)], cancellationToken);
            views = flushed + pending.Pending + pending.InFlight.Where(b => !applied.Contains(b.BatchId)).Sum(b => b.Views);
            if (attempt == Attempts || await counter.UnmovedSinceAsync(query.ProductId, pending, cancellationToken)) break;
        }
        return new PageViewsDto(query.ProductId, views);
    }

    /// <summary>The flushed total and which of <paramref name="batchIds"/> are applied, in one SQL statement.</summary>
    private async Task<(long Views, List<Guid> Applied)> ReadFlushedAsync(int productId, Guid[] batchIds, CancellationToken cancellationToken)
    {
        var row = await db.Products.AsNoTracking()
            .Where(p => p.Id == productId)
            .Select(p => new
            {
                Views = db.ProductViewTotals.Where(t => t.ProductId == p.Id).Select(t => (long?)t.Views).FirstOrDefault() ?? 0,
                Applied = db.AppliedViewBatches.Where(b => batchIds.Contains(b.BatchId)).Select(b => b.BatchId).ToList(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? (0, []) : (row.Views, row.Applied);
    }
}
