using System.Globalization;

namespace Gantry.Backends.Local;

/// <summary>A job's process group as /proc shows it: what is left of it once its launcher shell has ended.</summary>
internal static class ProcessGroup
{
    /// <summary>
    /// Whether any process of group <paramref name="group"/> still runs: a zombie does not count, a
    /// process in the middle of exiting does (it still holds its memory, ports and files).
    /// </summary>
    public static bool HasLiveMembers(int group)
    {
        var id = group.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir.AsSpan());
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }
            try
            {
                // Fields after the command name, which may itself hold spaces and parentheses: state, ppid, pgrp, ...
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat.AsSpan(stat.LastIndexOf(')') + 2);
                if (fields.Length > 0 && fields[0] != 'Z' && Field(fields, 2).SequenceEqual(id))
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
            {
                // The process ended while we looked, or is not ours to read.
            }
        }
        return false;
    }

    private static ReadOnlySpan<char> Field(ReadOnlySpan<char> fields, int index)
    {
        foreach (var range in fields.Split(' '))
        {
            if (index-- == 0)
            {
                return fields[range];
            }
        }
        return [];
    }
}
