using System.Globalization;

namespace Gantry.Cli.Commands;

/// <summary>Memory for people: 25275953152 bytes (Kubernetes' 24683548Ki) reads as 23.5 GiB.</summary>
public static class Bytes
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        var number = unit == 0 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString(value >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);
        return $"{number} {Units[unit]}";
    }
}
