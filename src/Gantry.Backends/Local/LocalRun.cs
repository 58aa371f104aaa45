namespace Gantry.Backends.Local;

/// <summary>A job this backend is running: its process group, what it reserved, whether it was asked to stop.</summary>
internal sealed class LocalRun(string jobId, int pid, Core.Resources.Resources reserved, JobDirectory directory)
{
    public string JobId { get; } = jobId;

    /// <summary>The shell's pid, which is also its process group id (it was started by setsid).</summary>
    public int Pid { get; } = pid;

    public Core.Resources.Resources Reserved { get; } = reserved;
    public JobDirectory Directory { get; } = directory;
    public volatile bool CancelRequested;

    /// <summary>A port held for the job (spark-submit's UI), released when it ends.</summary>
    public int? Port { get; init; }
}
