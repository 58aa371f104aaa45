namespace Gantry.Backends.Local;

/// <summary>
/// A job's files under the data dir. The running shell writes the pid and exit files
/// itself, so a job's fate is readable even if the gateway died while it ran.
/// </summary>
internal sealed record JobDirectory(string Root)
{
    public static JobDirectory For(string jobsDirectory, string jobId) => new(Path.Combine(jobsDirectory, jobId));

    public string Work => Path.Combine(Root, "work");
    public string Log => Path.Combine(Root, "output.log");
    public string PidFile => Path.Combine(Root, "pid");
    public string ExitFile => Path.Combine(Root, "exit_code");

    /// <summary>A training replica's own pid, exit-code and log files (its working dir stays the job's).</summary>
    public JobDirectory Replica(string name) => new(Path.Combine(Root, "replicas", name));

    public int? ReadPid() => ReadInt(PidFile);

    public int? ReadExitCode() => ReadInt(ExitFile);

    private static int? ReadInt(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
