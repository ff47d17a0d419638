using Mediator;
using Shop.Application.Users.GetPreferences;
using Shop.Application.Users.GetUserProfile;

namespace Shop.Application.Users.GetUserOverview;

/// <summary>Sends the two cached queries, so the overview reuses (and warms) the profile and preferences entries.</summary>
public sealed class GetUserOverviewQueryHandler(ISender sender) : IQueryHandler<GetUserOverviewQuery, UserOverviewDto>
{
    public async ValueTask<UserOverviewDto> Handle(GetUserOverviewQuery query, CancellationToken cancellationToken)
    {
        var profile = await sender.Send(new GetUserProfileQuery(query.UserId), cancellationToken);
        var preferences = await sender.Send(new GetPreferencesQuery(query.UserId), cancellationToken);
        return new UserOverviewDto(profile, preferences);
    }
}
