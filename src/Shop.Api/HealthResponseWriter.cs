using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Api;

/// <summary>Writes each check (postgres, redis) with its own status, so a reader sees which store is degraded.</summary>
internal static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 2),
            }),
        }, JsonSerializerOptions.Web);
    }
}
