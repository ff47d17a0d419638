namespace Shop.Api.RateLimiting;

/// <summary>
/// The <c>RateLimiting</c> configuration section: requests one client may make per window, per instance (with N
/// instances behind a balancer a client gets up to N times these). A client is the token's <c>sub</c> when the caller
/// is authenticated, else its address (see <see cref="ClientKey"/>).
/// </summary>
internal sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>GET, HEAD and OPTIONS on every route.</summary>
    public WindowLimit Reads { get; set; } = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Every other method on every route: stricter, since each one is a transaction.</summary>
    public WindowLimit Writes { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary>POST /api/products/{id}/views on top of <see cref="Writes"/>: views one client may record.</summary>
    public WindowLimit PageViews { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// Most clients tracked at once per limiter kind. Past it, new clients share one overflow bucket (with the same
    /// limit), so a flood of distinct addresses costs bounded memory and is throttled as one client.
    /// </summary>
    public int MaxClients { get; set; } = 50_000;
}
