namespace Gantry.Core.Resources;

// Placeholder replaced by the full parser on the core-kinds branch.
public static class Quantity
{
    public static bool TryParse(string text, out decimal value, out string problem)
    {
        problem = "";
        var ok = decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
        if (!ok) { problem = "not a quantity"; }
        return ok;
    }

    public static bool TryParseCpuMillis(string text, out long millis, out string problem)
    {
        millis = 0;
        if (text.EndsWith('m') && long.TryParse(text[..^1], out var m)) { millis = m; problem = ""; return m >= 0; }
        var ok = TryParse(text, out var v, out problem) && v >= 0;
        millis = ok ? (long)(v * 1000) : 0;
        return ok;
    }

    public static bool TryParseBytes(string text, out long bytes, out string problem)
    {
        problem = "";
        bytes = 0;
        foreach (var (suffix, factor) in new[] { ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10) })
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && long.TryParse(text[..^2], out var n) && n >= 0)
            {
                bytes = n * factor;
                return true;
            }
        }
        var ok = long.TryParse(text, out bytes) && bytes >= 0;
        if (!ok) { problem = "not a quantity"; }
        return ok;
    }

    public static string FormatCpu(long millis) => millis % 1000 == 0 ? (millis / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{millis}m";

    public static string FormatBytes(long bytes) => bytes % (1L << 30) == 0 && bytes > 0 ? $"{bytes >> 30}Gi" : bytes % (1L << 20) == 0 && bytes > 0 ? $"{bytes >> 20}Mi" : bytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
