using Mediator;

namespace Shop.Application.Products.GetProducts;

/// <summary>Several product pages at once, in the order asked; absent ids are left out.</summary>
public sealed record GetProductsQuery(IReadOnlyList<int> Ids) : IQuery<IReadOnlyList<ProductPageDto>>
{
    public const int MaxIds = 100;
}
