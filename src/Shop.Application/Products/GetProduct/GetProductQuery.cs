using Mediator;
using Shop.Application.Common;
using Shop.Application.Caching;

namespace Shop.Application.Products.GetProduct;

public sealed record GetProductQuery(int Id) : IQuery<ProductPageDto>, IPublicRequest, ICacheableQuery
{
    public CacheKey CacheKey => CacheKeys.Product(Id);
}
