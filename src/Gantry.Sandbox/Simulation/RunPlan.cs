using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>How a simulated job runs, from its annotations: <c>sandbox.gantry.io/duration</c> and <c>sandbox.gantry.io/fail</c>.</summary>
internal sealed record RunPlan(TimeSpan Duration, string? FailureMessage)
{
    public const string DurationAnnotation = "sandbox.gantry.io/duration";
    public const string FailAnnotation = "sandbox.gantry.io/fail";

    public static RunPlan For(JsonObject job, TimeSpan defaultDuration)
    {
        var annotations = job.Annotations();
        var duration = annotations.TryGetValue(DurationAnnotation, out var text) && TryParseDuration(text, out var parsed) ? parsed : defaultDuration;
        return new RunPlan(duration, annotations.TryGetValue(FailAnnotation, out var message) ? message : null);
    }

    /// <summary>Go-style durations as used in annotations: <c>500ms</c>, <c>3s</c>, <c>2m</c>, <c>1h</c>, or bare seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return false;
        }
        duration = TimeSpan.FromSeconds(value * unit);
        return true;
    }
}
