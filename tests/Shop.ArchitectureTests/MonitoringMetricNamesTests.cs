using System.Reflection;
using System.Text.RegularExpressions;
using Shop.Infrastructure.Observability;

namespace Shop.ArchitectureTests;

/// <summary>
/// The Grafana dashboard and the Prometheus configuration spell the exported names of the cache instruments; each
/// must be one that <see cref="ShopMetricNames"/> produces, so renaming a constant fails here instead of blanking a panel.
/// </summary>
public sealed partial class MonitoringMetricNamesTests
{
    /// <summary>Suffixes Prometheus adds: counters get _total, the millisecond histograms _milliseconds_{bucket,count,sum}.</summary>
    private static readonly string[] Suffixes = ["", "_total", "_milliseconds_bucket", "_milliseconds_count", "_milliseconds_sum"];

    [GeneratedRegex("shop_cache_[a-z0-9_]*")]
    private static partial Regex CacheMetricName();

    [Fact]
    public void Every_cache_metric_the_monitoring_configs_name_is_exported()
    {
        var exported = typeof(ShopMetricNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .SelectMany(name => Suffixes.Select(suffix => name.Replace('.', '_') + suffix))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("shop_cache_lookups_total", exported);

        var named = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "monitoring"), "*", SearchOption.AllDirectories)
            .SelectMany(file => CacheMetricName().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Name: m.Value)))
            .Distinct()
            .ToList();
        Assert.True(named.Count >= 5, $"only {named.Count} shop_cache_* names found under monitoring/: the rule would pass vacuously");

        // A name that is only a prefix of exported ones ("shop_cache_" in a regex matcher) is fine too.
        var unknown = named.Where(n => !exported.Contains(n.Name) && !exported.Any(e => e.StartsWith(n.Name, StringComparison.Ordinal))).ToList();
        Assert.True(unknown.Count == 0, "not exported by the app: " + string.Join(", ", unknown.Select(n => $"{n.Name} ({n.File})")));
    }
}
