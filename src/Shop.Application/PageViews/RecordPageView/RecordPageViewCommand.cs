using Mediator;
using Shop.Application.Common;

namespace Shop.Application.PageViews.RecordPageView;

/// <summary>Counts one view of a product (write-behind: Redis now, PostgreSQL at the next flush).</summary>
public sealed record RecordPageViewCommand(int ProductId) : ICommand<PageViewsDto>, IPublicRequest;
