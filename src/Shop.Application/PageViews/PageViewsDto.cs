namespace Shop.Application.PageViews;

/// <summary>A product's page views: flushed to PostgreSQL plus those still waiting in Redis.</summary>
public sealed record PageViewsDto(int ProductId, long Views);
