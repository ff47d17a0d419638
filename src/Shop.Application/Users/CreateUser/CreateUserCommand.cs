using Mediator;
using Shop.Application.Common;

namespace Shop.Application.Users.CreateUser;

public sealed record CreateUserCommand(string Name, string Email, string Plan) : ICommand<UserProfileDto>, IAdminRequest;
