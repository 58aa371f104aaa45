using System.Text.RegularExpressions;

namespace Gantry.Core.Metrics;

/// <summary>What a metric may be called and hold, so names stay chartable and values storable.</summary>
public static partial class MetricRules
{
    public const int MaxNameLength = 200;

    // Letters, digits and the separators people use in metric names (train/loss, val.acc, lr-0).
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_./:-]*$")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string? name) => name is { Length: > 0 and <= MaxNameLength } && NamePattern().IsMatch(name);
}
