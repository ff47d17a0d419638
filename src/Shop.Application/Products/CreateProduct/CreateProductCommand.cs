using Mediator;
using Shop.Application.Common;

namespace Shop.Application.Products.CreateProduct;

public sealed record CreateProductCommand(string Sku, string Name, string? Description, decimal Price, string Currency, int CategoryId)
    : ICommand<ProductPageDto>, IAdminRequest;
