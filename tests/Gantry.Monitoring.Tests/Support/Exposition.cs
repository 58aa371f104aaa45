using System.Globalization;
using System.Text.RegularExpressions;

namespace Gantry.Monitoring.Tests.Support;

/// <summary>One sample of the Prometheus text format: its metric name, labels and value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(string label, string value) => Labels.TryGetValue(label, out var v) && v == value;
}

/// <summary>Reads the samples of a /metrics answer (text format 0.0.4), enough for assertions.</summary>
public static partial class Exposition
{
    public static IReadOnlyList<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["name"].Value] = Regex.Unescape(label.Groups["value"].Value);
            }
            samples.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    /// <summary>The value of the one sample of <paramref name="name"/> carrying every label given; null when there is none.</summary>
    public static double? Value(this IReadOnlyList<Sample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.SingleOrDefault(s => s.Name == name && labels.All(l => s.Has(l.Label, l.Value)))?.Value;

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
