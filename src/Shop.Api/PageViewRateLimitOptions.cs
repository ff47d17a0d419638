namespace Shop.Api;

/// <summary>The <c>PageViews:RateLimit</c> configuration section: views one client may record per window.</summary>
internal sealed class PageViewRateLimitOptions
{
    public const string Section = "PageViews:RateLimit";

    public int PermitLimit { get; set; } = 60;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
