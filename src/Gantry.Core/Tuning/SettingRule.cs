using System.Globalization;

namespace Gantry.Core.Tuning;

/// <summary>One algorithm setting Katib's suggestion service accepts, with the check its value must pass (null = fine, else why not).</summary>
internal sealed record SettingRule(string Name, Func<string, string?> Check)
{
    public static SettingRule Int(string name, long min) => new(name, text =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min
            ? null
            : $"must be a whole number of at least {min}, not '{text}'");

    /// <summary>A real number in (<paramref name="low"/>, <paramref name="high"/>), each end open unless said otherwise.</summary>
    public static SettingRule Real(string name, double low, double high = double.PositiveInfinity, bool lowInclusive = false, bool highInclusive = false) => new(name, text =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            && (lowInclusive ? v >= low : v > low) && (highInclusive ? v <= high : v < high)
            ? null
            : $"must be a number {(lowInclusive ? ">=" : ">")} {Show(low)}{(double.IsPositiveInfinity(high) ? "" : $" and {(highInclusive ? "<=" : "<")} {Show(high)}")}, not '{text}'");

    public static SettingRule OneOf(string name, params string[] values) => new(name, text =>
        values.Contains(text) ? null : $"must be one of {string.Join(", ", values)}, not '{text}'");

    public static SettingRule Text(string name) => new(name, text => string.IsNullOrWhiteSpace(text) ? "must not be empty" : null);

    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
}
