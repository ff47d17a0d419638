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

    public static IEndpointRouteBuilder MapShopMetrics(this IEndpointRouteBuilder app)
    {
        // Anonymous, like /health: Prometheus scrapes without a token. Keep it off the public ingress in production.
        app.MapPrometheusScrapingEndpoint(ScrapePath);
        return app;
    }
}
