using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Products.GetProduct;

public sealed record GetProductQuery(int Id) : IQuery<ProductPageDto>, IPublicRequest, ICacheableQuery
{
    public CacheKey CacheKey => CacheKeys.Product(Id);
}
