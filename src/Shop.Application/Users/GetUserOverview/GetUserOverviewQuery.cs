using Mediator;
using Shop.Application.Common;

namespace Shop.Application.Users.GetUserOverview;

/// <summary>Profile and preferences together; composed from the two cached queries so each part is cached once.</summary>
public sealed record GetUserOverviewQuery(int UserId) : IQuery<UserOverviewDto>, IUserScopedRequest;
