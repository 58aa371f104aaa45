using System.Globalization;

namespace Gantry.Core.Resources;

/// <summary>
/// Kubernetes resource quantities (<c>500m</c>, <c>2</c>, <c>4Gi</c>, <c>1e3</c>), parsed the way the
/// API server does so that Gantry's arithmetic matches what the scheduler will see.
/// </summary>
public static class Quantity
{
    private const string Examples = "examples: 500m, 2, 4Gi";

    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m),
        ("Mi", 1024m * 1024),
        ("Gi", 1024m * 1024 * 1024),
        ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024),
        ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m),
        ("u", 0.000001m),
        ("m", 0.001m),
        ("k", 1_000m),
        ("M", 1_000_000m),
        ("G", 1_000_000_000m),
        ("T", 1_000_000_000_000m),
        ("P", 1_000_000_000_000_000m),
        ("E", 1_000_000_000_000_000_000m),
    ];

    private static readonly (string Suffix, long Factor)[] BinaryFormats =
    [
        ("Ei", 1L << 60), ("Pi", 1L << 50), ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10),
    ];

    public static bool TryParse(string text, out decimal value, out string problem)
    {
        value = 0;
        problem = "";
        if (string.IsNullOrEmpty(text))
        {
            problem = $"a quantity must not be empty ({Examples})";
            return false;
        }
        var negative = text[0] == '-';
        var body = text[0] is '-' or '+' ? text[1..] : text;
        var numberLength = NumberLength(body);
        if (numberLength == 0 || !TryParseSuffix(body[numberLength..], out var factor, out var exponent))
        {
            problem = $"'{text}' is not a Kubernetes quantity ({Examples})";
            return false;
        }
        if (!decimal.TryParse(body[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            || !TryScale(number, factor, exponent, out value))
        {
            problem = $"'{text}' is too large for a quantity";
            return false;
        }
        if (negative && value != 0)
        {
            value = 0;
            problem = $"'{text}' is negative; a quantity must be zero or more";
            return false;
        }
        return true;
    }

    /// <summary>CPU in millicores; a fraction of a millicore rounds up, as Kubernetes' MilliValue does.</summary>
    public static bool TryParseCpuMillis(string text, out long millis, out string problem)
    {
        millis = 0;
        if (!TryParse(text, out var cores, out problem))
        {
            return false;
        }
        return TryCeilingToLong(text, cores, 1000m, out millis, out problem);
    }

    /// <summary>Memory in bytes; a fraction of a byte rounds up, as Kubernetes' Value does.</summary>
    public static bool TryParseBytes(string text, out long bytes, out string problem)
    {
        bytes = 0;
        if (!TryParse(text, out var value, out problem))
        {
            return false;
        }
        return TryCeilingToLong(text, value, 1m, out bytes, out problem);
    }

    public static string FormatCpu(long millis) =>
        millis % 1000 == 0
            ? (millis / 1000).ToString(CultureInfo.InvariantCulture)
            : millis.ToString(CultureInfo.InvariantCulture) + "m";

    /// <summary>The largest binary suffix that divides evenly (memory is sized in powers of two), else plain bytes.</summary>
    public static string FormatBytes(long bytes)
    {
        if (bytes != 0)
        {
            foreach (var (suffix, factor) in BinaryFormats)
            {
                if (bytes % factor == 0)
                {
                    return (bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
                }
            }
        }
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Length of the leading <c>digits[.digits]</c> (either side may be empty, not both).</summary>
    private static int NumberLength(string body)
    {
        var i = 0;
        var digits = 0;
        while (i < body.Length && char.IsAsciiDigit(body[i]))
        {
            i++;
            digits++;
        }
        if (i < body.Length && body[i] == '.')
        {
            i++;
            while (i < body.Length && char.IsAsciiDigit(body[i]))
            {
                i++;
                digits++;
            }
        }
        return digits == 0 ? 0 : i;
    }

    private static bool TryParseSuffix(string suffix, out decimal factor, out int exponent)
    {
        factor = 1m;
        exponent = 0;
        if (suffix.Length == 0)
        {
            return true;
        }
        foreach (var (name, value) in Suffixes)
        {
            if (suffix == name)
            {
                factor = value;
                return true;
            }
        }
        // A decimal exponent: e or E followed by a signed integer. Bare "E" (exa) matched above.
        if (suffix[0] is 'e' or 'E' && suffix.Length > 1)
        {
            var digits = suffix[1] is '+' or '-' ? suffix[2..] : suffix[1..];
            return digits.Length is > 0 and <= 4
                && digits.All(char.IsAsciiDigit)
                && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent);
        }
        return false;
    }

    private static bool TryScale(decimal number, decimal factor, int exponent, out decimal value)
    {
        value = 0;
        try
        {
            value = number * factor;
            for (var i = 0; i < exponent && value != 0; i++)
            {
                value *= 10;
            }
            for (var i = 0; i > exponent && value != 0; i--)
            {
                value /= 10;
            }
            return true;
        }
        catch (OverflowException)
        {
            value = 0;
            return false;
        }
    }

    private static bool TryCeilingToLong(string text, decimal value, decimal scale, out long result, out string problem)
    {
        result = 0;
        problem = "";
        try
        {
            var scaled = decimal.Ceiling(value * scale);
            if (scaled <= long.MaxValue)
            {
                result = (long)scaled;
                return true;
            }
        }
        catch (OverflowException)
        {
            // Falls through to the same message as a value that fits in decimal but not in long.
        }
        problem = $"'{text}' is too large for a quantity";
        return false;
    }
}
