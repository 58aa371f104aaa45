using System.Globalization;
using System.Text.RegularExpressions;

namespace Gantry.Core.Tuning.Observations;

/// <summary>
/// Katib's StdOut / TEXT metrics collector (<c>file-metricscollector</c>'s parseLogs) over log
/// lines: a line that mentions no wanted metric is skipped; a line starting with an RFC 3339
/// timestamp and a space takes that time (otherwise <paramref name="fallbackTime"/>); each filter
/// (Katib's default <c>name=value</c> one unless the spec gives <c>metricsFormat</c>) is matched
/// everywhere in the line and group 1 / group 2 are the name and value; only the objective and
/// additional metrics are kept. If the objective never appears, one <c>unavailable</c> row is
/// added for it, as Katib does. Bounded: at most <see cref="MaxLines"/> lines and
/// <see cref="MaxLogs"/> values are read, and each match has a time limit.
/// </summary>
public static class StdOutMetricsParser
{
    public const string DefaultFilter = @"([\w|-]+)\s*=\s*([+-]?\d*(\.\d+)?([Ee][+-]?\d+)?)";
    public const int MaxLines = 100_000;
    public const int MaxLogs = 10_000;
    public const int MaxLineLength = 4_096;

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    public static IReadOnlyList<MetricLog> Parse(IEnumerable<string> lines, IReadOnlyList<string> metricNames, IReadOnlyList<string> filters, DateTimeOffset fallbackTime)
    {
        ArgumentOutOfRangeException.ThrowIfZero(metricNames.Count);
        var regexes = (filters.Count == 0 ? [DefaultFilter] : filters)
            .Select(f => new Regex(f, RegexOptions.CultureInvariant, MatchTimeout)).ToList();
        var logs = new List<MetricLog>();
        var count = 0;
        foreach (var raw in lines)
        {
            if (++count > MaxLines || logs.Count >= MaxLogs)
            {
                break;
            }
            var line = raw.Length > MaxLineLength ? raw[..MaxLineLength] : raw;
            if (!metricNames.Any(m => line.Contains(m, StringComparison.Ordinal)))
            {
                continue;
            }
            var time = fallbackTime;
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && DateTimeOffset.TryParse(line[..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamped)
                && line[..space].Contains('T', StringComparison.Ordinal))
            {
                time = stamped;
                line = line[(space + 1)..];
            }
            Collect(line, regexes, metricNames, time, logs);
        }
        if (!logs.Any(l => l.Name == metricNames[0]))
        {
            logs.Add(new MetricLog(metricNames[0], MetricLog.Unavailable, fallbackTime));
        }
        return logs;
    }

    private static void Collect(string line, List<Regex> regexes, IReadOnlyList<string> metricNames, DateTimeOffset time, List<MetricLog> logs)
    {
        foreach (var regex in regexes)
        {
            try
            {
                foreach (Match match in regex.Matches(line))
                {
                    if (match.Groups.Count < 3 || logs.Count >= MaxLogs)
                    {
                        continue;
                    }
                    var name = match.Groups[1].Value.Trim();
                    var value = match.Groups[2].Value.Trim();
                    if (metricNames.Contains(name) && value.Length > 0)
                    {
                        logs.Add(new MetricLog(name, value, time));
                    }
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A user's filter that backtracks badly on one line loses that line, not the trial.
            }
        }
    }
}
