using System.Globalization;
using System.Text.RegularExpressions;

namespace Gantry.Core.Users;

/// <summary>
/// A token's lifetime as people write it: a whole number and a unit, <c>90s</c>, <c>30m</c>,
/// <c>12h</c>, <c>30d</c>. Deliberately small: no fractions, no combined units, no ISO 8601.
/// </summary>
public static partial class TokenLifetime
{
    public const string Format = "a whole number followed by s, m, h or d, such as 30m, 12h or 30d";

    private static readonly TimeSpan Longest = TimeSpan.FromDays(36_500);

    [GeneratedRegex("^([0-9]{1,9})([smhd])$")]
    private static partial Regex Pattern();

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryParse(string? text, out TimeSpan lifetime, out string problem)
    {
        lifetime = TimeSpan.Zero;
        var match = text is null ? null : Pattern().Match(text.Trim());
        if (match is null || !match.Success)
        {
            problem = $"must be {Format}";
            return false;
        }
        var amount = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var seconds = match.Groups[2].Value switch
        {
            "s" => amount,
            "m" => amount * 60,
            "h" => amount * 3600,
            _ => amount * 86_400,
        };
        if (seconds <= 0)
        {
            problem = "must be longer than zero";
            return false;
        }
        // Far beyond any configurable maximum, and short of what TimeSpan and dates can hold.
        if (seconds > Longest.TotalSeconds)
        {
            problem = $"must be at most {Describe(Longest)}";
            return false;
        }
        lifetime = TimeSpan.FromSeconds(seconds);
        problem = "";
        return true;
    }

    /// <summary>Parses and checks against <paramref name="maximum"/>, naming the maximum when exceeded.</summary>
    public static bool TryParse(string? text, TimeSpan maximum, out TimeSpan lifetime, out string problem)
    {
        if (!TryParse(text, out lifetime, out problem))
        {
            return false;
        }
        if (lifetime > maximum)
        {
            problem = $"must be at most {Describe(maximum)} (Gantry:Tokens:MaxLifetimeDays)";
            return false;
        }
        return true;
    }

    /// <summary>The shortest exact form of <paramref name="lifetime"/> in the units <see cref="TryParse(string?, out TimeSpan, out string)"/> reads.</summary>
    public static string Describe(TimeSpan lifetime)
    {
        var seconds = (long)lifetime.TotalSeconds;
        return seconds % 86_400 == 0 ? $"{seconds / 86_400}d"
            : seconds % 3600 == 0 ? $"{seconds / 3600}h"
            : seconds % 60 == 0 ? $"{seconds / 60}m"
            : $"{seconds}s";
    }
}
