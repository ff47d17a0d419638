using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Shop.Infrastructure.Observability;

namespace Shop.Api.Observability;

/// <summary>
/// OpenTelemetry metrics, exported at <c>/metrics</c> in Prometheus's text format: the Shop meter (every instrument
/// <see cref="ShopMetrics"/> creates, including gauges other features register through it), ASP.NET Core's request
/// and Kestrel metrics, and the .NET runtime's (GC, thread pool, CPU, memory).
/// </summary>
internal static class MetricsSetup
{
    public const string ScrapePath = "/metrics";

    /// <summary>Request latency buckets (s): finer than ASP.NET Core's default below 5 ms, where L1 hits land.</summary>
    private static readonly double[] RequestSeconds = [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];

    private static readonly double[] LoadMilliseconds = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

    private static readonly double[] LagMilliseconds = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000];

    public static IServiceCollection AddShopMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("shop-api"))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(ShopMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddMeter("System.Runtime")
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                // The view needs this host's IMeterFactory, known only once the container is built.
                ((IDeferredMeterProviderBuilder)metrics).Configure((sp, builder) =>
                {
                    var ownFactory = sp.GetRequiredService<IMeterFactory>();
                    builder.AddView(instrument => View(instrument, ownFactory));
                });
            });
        return services;
    }

    /// <summary>
    /// Drops instruments of meters made by another host's <see cref="IMeterFactory"/> (OpenTelemetry subscribes by
    /// meter name, process-wide: in-process test hosts would otherwise export each other's counts), and sets the
    /// histogram buckets. A no-op for the one host of a production process.
    /// </summary>
    private static MetricStreamConfiguration? View(Instrument instrument, IMeterFactory ownFactory)
    {
        if (instrument.Meter.Scope is IMeterFactory other && !ReferenceEquals(other, ownFactory)) return MetricStreamConfiguration.Drop;
        double[]? buckets = instrument.Name switch
        {
            "http.server.request.duration" => RequestSeconds,
            ShopMetricNames.LoadDuration => LoadMilliseconds,
            ShopMetricNames.InvalidationLag => LagMilliseconds,
            _ => null,
        };
        return buckets is null ? null : new ExplicitBucketHistogramConfiguration { Boundaries = buckets };
    }

    /// <summary>
    /// With <c>Management:Port</c> set (list that port in the server URLs too, e.g.
    /// <c>ASPNETCORE_URLS=http://+:8080;http://+:9464</c>), <c>/metrics</c> answers only on connections to that port,
    /// anonymously: keep the port off the public ingress and let Prometheus scrape it. The check is on the socket's local
    /// port, not the Host header, which a client chooses.
    /// </summary>
    public static IApplicationBuilder UseManagementMetrics(this WebApplication app)
    {
        if (app.Configuration.GetValue<int?>("Management:Port") is { } port)
            app.UseOpenTelemetryPrometheusScrapingEndpoint(
                meterProvider: null,
                predicate: context => context.Connection.LocalPort == port && context.Request.Path == ScrapePath,
                path: null, configureBranchedPipeline: null, optionsName: null);
        return app;
    }

    /// <summary>
    /// Without a management port: anonymous on the API port in Development (the local Prometheus check scrapes it), and
    /// outside Development only for admins (a bearer token in Prometheus's scrape config), never open to everyone.
    /// </summary>
    public static IEndpointRouteBuilder MapShopMetrics(this WebApplication app)
    {
        if (app.Configuration.GetValue<int?>("Management:Port") is not null) return app;
        var endpoint = app.MapPrometheusScrapingEndpoint(ScrapePath);
        if (app.Environment.IsDevelopment()) endpoint.AllowAnonymous();
        else endpoint.RequireAuthorization(Shop.Api.Security.Policies.Admin);
        return app;
    }
}
