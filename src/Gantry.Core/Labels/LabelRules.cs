using System.Text.RegularExpressions;
using Gantry.Core.Validation;

namespace Gantry.Core.Labels;

/// <summary>Kubernetes' rules for label keys and values, so labels survive the trip to a cluster.</summary>
public static partial class LabelRules
{
    [GeneratedRegex("^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$")]
    private static partial Regex ValuePattern();

    public static bool IsValidKey(string key) => key.Length <= 317 && KeyPattern().IsMatch(key);

    public static bool IsValidValue(string value) => ValuePattern().IsMatch(value);

    public static void Validate(string key, string value, string field, ValidationErrors errors)
    {
        if (!IsValidKey(key))
        {
            errors.Add(field, $"'{key}' is not a valid label key (an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.')");
        }
        if (!IsValidValue(value))
        {
            errors.Add(field, $"'{value}' is not a valid label value (up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
        }
    }
}
