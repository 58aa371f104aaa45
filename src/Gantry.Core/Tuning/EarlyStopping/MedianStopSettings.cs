using System.Globalization;

namespace Gantry.Core.Tuning.EarlyStopping;

/// <summary>Katib's <c>medianstop</c> settings: <c>min_trials_required</c> (default 3) and <c>start_step</c> (default 4).</summary>
public sealed record MedianStopSettings(int MinTrialsRequired = 3, int StartStep = 4)
{
    public static MedianStopSettings From(AlgorithmSpec spec) => new(
        Parse(spec.Setting("min_trials_required"), 3),
        Parse(spec.Setting("start_step"), 4));

    private static int Parse(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
