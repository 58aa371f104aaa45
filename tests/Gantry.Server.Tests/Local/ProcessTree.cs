using System.Globalization;

namespace Gantry.Server.Tests.Local;

/// <summary>What is left of a job's processes, read from /proc: the tests' proof that nothing outlives a job.</summary>
internal static class ProcessTree
{
    /// <summary>The pid of each replica's shell, which leads that replica's process group.</summary>
    public static List<int> ReplicaPids(string jobsDir, string jobId) =>
        Directory.GetDirectories(Path.Combine(jobsDir, jobId, "replicas"))
            .Select(dir => int.Parse(File.ReadAllText(Path.Combine(dir, "pid")).Trim(), CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>Every live process whose process group is <paramref name="group"/> (field 5 of /proc/pid/stat).</summary>
    public static List<int> InGroup(int group)
    {
        var members = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && fields[2] == group.ToString(CultureInfo.InvariantCulture))
                {
                    members.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return members;
    }
}
