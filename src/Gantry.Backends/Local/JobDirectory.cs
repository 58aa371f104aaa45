namespace Gantry.Backends.Local;

/// <summary>
/// A job's files under the jobs directory (Gantry:Local:JobsDirectory). The running shell writes the
/// pid, exit and log files itself, so a job's fate is readable even if the gateway died while it ran;
/// the job's command may write only in <see cref="Work"/> (see <see cref="JobSandbox"/>).
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

    /// <summary>A replica's shell waits for this file before running its command again (ReplicaLauncher).</summary>
    public string RestartRequest => Path.Combine(Root, "restart");

    /// <summary>How many times the gateway restarted a replica; kept on disk so a restarted gateway counts on.</summary>
    public string RestartsFile => Path.Combine(Root, "restarts");

    public int? ReadPid() => ReadInt(PidFile);

    public int? ReadExitCode() => ReadInt(ExitFile);

    public int ReadRestarts() => ReadInt(RestartsFile) ?? 0;

    /// <summary>Counts the restart, then lets the waiting shell go on: it prints <paramref name="marker"/> into the log and runs the command again.</summary>
    public void RequestRestart(int restarts, string marker)
    {
        File.WriteAllText(RestartsFile, restarts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Renamed into place so the shell never sees half a file.
        var temporary = RestartRequest + ".tmp";
        File.WriteAllText(temporary, marker + "\n");
        File.Move(temporary, RestartRequest, overwrite: true);
    }

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
