using Mediator;
using Shop.Application.Common;

namespace Shop.Application.Products.ChangeProductPrice;

public sealed record ChangeProductPriceCommand(int ProductId, decimal Price) : ICommand<ProductPageDto>, IAdminRequest;
