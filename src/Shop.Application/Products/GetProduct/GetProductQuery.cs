using Mediator;
using Shop.Application.Caching;

namespace Shop.Application.Products.GetProduct;

public sealed record GetProductQuery(int Id) : IQuery<ProductPageDto>, ICacheableQuery
{
    public CacheKey CacheKey => CacheKeys.Product(Id);
}
