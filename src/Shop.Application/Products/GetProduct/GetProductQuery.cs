using Mediator;

namespace Shop.Application.Products.GetProduct;

public sealed record GetProductQuery(int Id) : IQuery<ProductPageDto>;
