using Mediator;
using Shop.Application.Common;

namespace Shop.Application.PageViews.GetPageViews;

/// <summary>A product's views: the total flushed to PostgreSQL plus what is still in Redis (read-your-writes).</summary>
public sealed record GetPageViewsQuery(int ProductId) : IQuery<PageViewsDto>, IPublicRequest;
