using System.Globalization;
using System.Text.RegularExpressions;

namespace Shop.IntegrationTests.Observability;

/// <summary>One sample of a Prometheus text exposition: metric name, labels and value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? Label(string name) => Labels.GetValueOrDefault(name);
}

/// <summary>A small parser for the text format /metrics answers (enough for tests: samples, labels, values).</summary>
public static partial class PrometheusText
{
    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)",?""")]
    private static partial Regex LabelPair();

    /// <summary>The name Prometheus exports an instrument under: '.' becomes '_', then the type's suffix (<c>_total</c>, …).</summary>
    public static string Name(string instrument, string suffix = "") => instrument.Replace('.', '_') + suffix;

    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match pair in LabelPair().Matches(match.Groups["labels"].Value))
                labels[pair.Groups["key"].Value] = Regex.Unescape(pair.Groups["value"].Value);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, value));
        }
        return samples;
    }

    /// <summary>Sum of the samples named <paramref name="name"/> whose labels include every given pair.</summary>
    public static double Sum(this IEnumerable<PrometheusSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Label(l.Key) == l.Value)).Sum(s => s.Value);

    public static bool Has(this IEnumerable<PrometheusSample> samples, string name) => samples.Any(s => s.Name == name);
}
