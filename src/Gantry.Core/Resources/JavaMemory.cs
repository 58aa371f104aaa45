using System.Globalization;

namespace Gantry.Core.Resources;

/// <summary>
/// Spark's Java-style memory strings (<c>512m</c>, <c>4g</c>, <c>1.5g</c>), read as the Spark operator's
/// <c>parseJavaMemoryString</c> reads them: binary units, case-insensitive. Unlike a Kubernetes
/// quantity, <c>512m</c> here is 512 MiB, not 0.512.
/// </summary>
public static class JavaMemory
{
    private const string Examples = "examples: 512m, 4g, 1.5g";
    private const decimal Kib = 1m / 1024;

    private static readonly Dictionary<string, decimal> MiBPerUnit = new(StringComparer.Ordinal)
    {
        ["b"] = Kib / 1024,
        ["k"] = Kib,
        ["kb"] = Kib,
        ["m"] = 1m,
        ["mb"] = 1m,
        ["g"] = 1024m,
        ["gb"] = 1024m,
        ["t"] = 1024m * 1024,
        ["tb"] = 1024m * 1024,
        ["p"] = 1024m * 1024 * 1024,
        ["pb"] = 1024m * 1024 * 1024,
    };

    /// <summary>
    /// The amount in MiB, possibly fractional. Spark gives each setting its own unit for a bare
    /// number (MiB for <c>memoryOverhead</c>, bytes for <c>spark.memory.offHeap.size</c>), so the
    /// caller names it in <paramref name="bareNumberUnit"/> (<c>"m"</c>, <c>"b"</c>, ...); null means
    /// a unit is required.
    /// </summary>
    public static bool TryParseMiB(string text, string? bareNumberUnit, out decimal mib, out string problem)
    {
        mib = 0;
        problem = "";
        var lower = text.Trim().ToLowerInvariant();
        var numberEnd = 0;
        while (numberEnd < lower.Length && (char.IsAsciiDigit(lower[numberEnd]) || lower[numberEnd] == '.'))
        {
            numberEnd++;
        }
        var number = lower[..numberEnd];
        var unit = lower[numberEnd..];
        if (number.Length == 0 && lower.StartsWith('-'))
        {
            problem = $"'{text}' is negative; a memory size must be zero or more";
            return false;
        }
        if (unit.Length == 0 && bareNumberUnit is null && number.Length > 0)
        {
            problem = $"'{text}' needs a unit ({Examples})";
            return false;
        }
        if (!IsJavaNumber(number) || !MiBPerUnit.TryGetValue(unit.Length == 0 ? bareNumberUnit ?? "" : unit, out var factor))
        {
            problem = $"'{text}' is not a Java-style memory size ({Examples})";
            return false;
        }
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            problem = $"'{text}' is too large for a memory size";
            return false;
        }
        try
        {
            mib = value * factor;
            return true;
        }
        catch (OverflowException)
        {
            problem = $"'{text}' is too large for a memory size";
            return false;
        }
    }

    /// <summary>Digits, optionally followed by a point and more digits, as the operator's patterns allow.</summary>
    private static bool IsJavaNumber(string number)
    {
        var point = number.IndexOf('.', StringComparison.Ordinal);
        return point < 0
            ? number.Length > 0
            : point > 0 && point < number.Length - 1 && number.IndexOf('.', point + 1) < 0;
    }
}
