using Mediator;
using Shop.Application.Abstractions;
using Shop.Application.Products.GetProduct;

namespace Shop.Application.PageViews.RecordPageView;

/// <summary>
/// The hot path of the write-behind pattern: no PostgreSQL. The product's existence comes from the cached product
/// page (cache-aside with negative caching: repeated views of one product, known or unknown, are answered by L1),
/// then one Lua call in Redis counts the view. The answer's <c>views</c> is the total as Redis knows it (exact except
/// for a short while after Redis lost its data, when it is a lower bound).
/// </summary>
public sealed class RecordPageViewCommandHandler(ISender sender, IPageViewCounter counter) : ICommandHandler<RecordPageViewCommand, PageViewsDto>
{
    public async ValueTask<PageViewsDto> Handle(RecordPageViewCommand command, CancellationToken cancellationToken)
    {
        await sender.Send(new GetProductQuery(command.ProductId), cancellationToken); // 404 for an unknown product
        var recorded = await counter.RecordAsync(command.ProductId, cancellationToken);
        return new PageViewsDto(command.ProductId, recorded.Views);
    }
}
