using Mediator;
using Shop.Application.Caching;
using Shop.Application.Common;

namespace Shop.Application.Products.GetProducts;

/// <summary>Several product pages at once, in the order asked; absent ids are left out.</summary>
public sealed record GetProductsQuery(IReadOnlyList<int> Ids) : IQuery<IReadOnlyList<ProductPageDto>>, IPublicRequest, ICacheableBatchQuery<ProductPageDto>
{
    public const int MaxIds = 100;

    public CacheKey KeyFor(int id) => CacheKeys.Product(id);

    public int IdOf(ProductPageDto item) => item.Id;

    public ICacheableBatchQuery<ProductPageDto> WithIds(IReadOnlyList<int> ids) => this with { Ids = ids };
}
