using Prometheus;

namespace Gantry.Server.Monitoring;

/// <summary>
/// Sets a labelled gauge to exactly the series given: label sets not given any more are removed,
/// so a deleted queue or cluster stops being exported instead of keeping its last value.
/// </summary>
internal static class GaugeSeries
{
    public static void Replace(Gauge gauge, IEnumerable<(string[] Labels, double Value)> series)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (labels, value) in series)
        {
            gauge.WithLabels(labels).Set(value);
            kept.Add(Key(labels));
        }
        foreach (var labels in gauge.GetAllLabelValues().ToList())
        {
            if (!kept.Contains(Key(labels)))
            {
                gauge.RemoveLabelled(labels);
            }
        }
    }

    private static string Key(string[] labels) => string.Join('\u001f', labels);
}
