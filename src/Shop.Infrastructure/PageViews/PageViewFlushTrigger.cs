namespace Shop.Infrastructure.PageViews;

/// <summary>What started a flush.</summary>
public enum PageViewFlushTrigger
{
    Startup,
    Timer,
    Threshold,
    Shutdown,
    Manual,
}

