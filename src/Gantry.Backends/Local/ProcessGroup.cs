using System.Globalization;
using System.Text;

namespace Gantry.Backends.Local;

/// <summary>A job's process groups as /proc shows them: what is left of them once their launcher shells have ended.</summary>
internal static class ProcessGroup
{
    /// <summary>
    /// Those of <paramref name="groups"/> in which a process still runs: a zombie does not count, a
    /// process in the middle of exiting does (freeing a large memory map takes a while, and its
    /// ports and files are still held). Only for groups known to be the job's: a group id is
    /// never given to anyone else while the group has a member, but once it was seen empty it may be.
    /// </summary>
    public static HashSet<int> LiveGroups(IReadOnlyCollection<int> groups) => Scan(groups, marker: null);

    /// <summary>
    /// Those of <paramref name="groups"/> in which a process whose environment names job
    /// <paramref name="jobId"/> (GANTRY_JOB_ID, set for every job's launcher and inherited by what
    /// it starts) runs: for groups not watched since their leader ended (a gateway restart), whose
    /// ids may have been given to another session, another job's launcher among them. A process
    /// already exiting has no environment left to read, nor one whose owner the gateway may not
    /// inspect; neither is found.
    /// </summary>
    public static HashSet<int> LiveGroupsOf(string jobId, IReadOnlyCollection<int> groups) =>
        Scan(groups, Encoding.UTF8.GetBytes($"\0GANTRY_JOB_ID={jobId}\0"));

    private static HashSet<int> Scan(IReadOnlyCollection<int> groups, byte[]? marker)
    {
        var live = new HashSet<int>();
        if (groups.Count == 0)
        {
            return live;
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir.AsSpan());
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }
            try
            {
                if (GroupOf(File.ReadAllText(Path.Combine(dir, "stat")), dir) is { } group && groups.Contains(group) && !live.Contains(group)
                    && (marker is null || NamesJob(File.ReadAllBytes(Path.Combine(dir, "environ")), marker)))
                {
                    live.Add(group);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours to read.
            }
        }
        return live;
    }

    /// <summary>
    /// The process group of a live process, from /proc/pid/stat; null for a zombie. The fields after
    /// the command name, which may itself hold spaces and parentheses, are: state, ppid, pgrp, ...
    /// A multithreaded process's main thread can show as a zombie while its other threads still
    /// exit, the last of them freeing the memory and closing the files: with <paramref name="procDir"/>
    /// given, such a process counts as live while /proc/pid/task lists more than the main thread.
    /// </summary>
    internal static int? GroupOf(string stat, string? procDir = null)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return null;
        }
        var fields = stat.AsSpan(close + 2);
        var index = 0;
        foreach (var range in fields.Split(' '))
        {
            if (index == 0 && fields[range] is "Z" && !(procDir is not null && HasOtherThreads(procDir)))
            {
                return null;
            }
            if (index++ == 2)
            {
                return int.TryParse(fields[range], NumberStyles.None, CultureInfo.InvariantCulture, out var group) ? group : null;
            }
        }
        return null;
    }

    private static bool HasOtherThreads(string procDir)
    {
        try
        {
            return Directory.EnumerateDirectories(Path.Combine(procDir, "task")).Skip(1).Any();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // gone meanwhile
        }
    }

    /// <summary>Whether the NUL-separated environment holds the marker's variable (marker: NUL, name=value, NUL).</summary>
    private static bool NamesJob(ReadOnlySpan<byte> environ, ReadOnlySpan<byte> marker) =>
        environ.StartsWith(marker[1..]) || environ.IndexOf(marker) >= 0;
}
