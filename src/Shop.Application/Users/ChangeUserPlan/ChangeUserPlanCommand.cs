using Mediator;
using Shop.Application.Common;

namespace Shop.Application.Users.ChangeUserPlan;

public sealed record ChangeUserPlanCommand(int UserId, string Plan) : ICommand<UserProfileDto>, IAdminRequest;
