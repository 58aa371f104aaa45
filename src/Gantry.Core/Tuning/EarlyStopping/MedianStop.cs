using System.Globalization;

namespace Gantry.Core.Tuning.EarlyStopping;

/// <summary>
/// Katib's <c>medianstop</c> (<c>medianstop/service.py</c>) as pure functions. The rule: for every
/// succeeded trial, average its first <c>start_step</c> reported objective values; once at least
/// <c>min_trials_required</c> trials have such an average, the threshold is the mean of those
/// averages (Katib computes the mean, despite the name). A trial is stopped when it has at least
/// <c>start_step</c> reports and its best value so far is worse than the threshold. Katib freezes
/// the threshold when the trial is created and checks once, in a sidecar; Gantry evaluates on each
/// report, on or after <c>start_step</c>, against the rule as it stands then.
/// </summary>
public static class MedianStop
{
    /// <summary>The rule from the succeeded trials' objective values in report order, or null while too few trials qualify.</summary>
    public static MedianStopRule? Rule(MedianStopSettings settings, Objective objective, IEnumerable<IReadOnlyList<double>> succeededTrialValues)
    {
        var averages = new List<double>();
        foreach (var values in succeededTrialValues)
        {
            if (values.Count == 0)
            {
                continue;
            }
            var first = values.Take(settings.StartStep).ToList();
            averages.Add(first.Average());
        }
        if (averages.Count < settings.MinTrialsRequired)
        {
            return null;
        }
        return new MedianStopRule(objective.MetricName, averages.Average(), objective.Type == ObjectiveType.Maximize, settings.StartStep);
    }

    /// <summary>Whether a running trial whose objective was reported as <paramref name="values"/> (in order) should stop now.</summary>
    public static StopDecision Decide(MedianStopRule? rule, IReadOnlyList<double> values)
    {
        if (rule is null)
        {
            return StopDecision.Continue("too few succeeded trials for a median-stop rule yet");
        }
        if (values.Count < rule.StartStep)
        {
            return StopDecision.Continue($"{values.Count} of the {rule.StartStep} reports median stopping waits for");
        }
        var best = rule.StopWhenLess ? values.Max() : values.Min();
        var worse = rule.StopWhenLess ? best < rule.Value : best > rule.Value;
        var text = $"best {rule.MetricName} {Show(best)} after {values.Count} reports is {(worse ? "worse than" : "no worse than")} the threshold {Show(rule.Value)}";
        return worse ? new StopDecision(true, text) : StopDecision.Continue(text);
    }

    private static string Show(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
