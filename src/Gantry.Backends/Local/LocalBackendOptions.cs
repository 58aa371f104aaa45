namespace Gantry.Backends.Local;

public sealed class LocalBackendOptions
{
    /// <summary>Where each job gets its directory (working dir, log, exit code).</summary>
    public string JobsDirectory { get; set; } = "";

    /// <summary>How jobs are kept from the gateway's files and each other's (resolved: never "auto" here).</summary>
    public LocalIsolation Isolation { get; set; } = LocalIsolation.None;

    /// <summary>Under <see cref="LocalIsolation.Users"/>: a user's jobs run as uid and gid JobUidBase + the user's number.</summary>
    public int JobUidBase { get; set; } = 200_000;

    /// <summary>
    /// Paths a job must not see (the data dir, a key file kept outside it): under
    /// <see cref="LocalIsolation.Bubblewrap"/> a directory is covered by an empty tmpfs, a file by /dev/null.
    /// </summary>
    public IReadOnlyList<string> HiddenPaths { get; set; } = [];

    /// <summary>The bwrap to run sandboxes with.</summary>
    public string Bubblewrap { get; set; } = "bwrap";

    /// <summary>The URL jobs use to reach the gateway (GANTRY_URL in their environment).</summary>
    public string GatewayUrl { get; set; } = "";

    /// <summary>Overrides the detected capacity: millicores, bytes, GPUs. Null: the machine's own.</summary>
    public Core.Resources.Resources? Capacity { get; set; }

    /// <summary>The spark-submit to run SparkApplications with; null: <c>$SPARK_HOME/bin/spark-submit</c>, else the first on PATH.</summary>
    public string? SparkSubmit { get; set; }

    /// <summary>Where jobs' loopback ports come from; null: the kernel's pick (<see cref="PortAllocator"/>).</summary>
    public PortRange? JobPorts { get; set; }

    /// <summary>How long a cancelled job gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan CancelGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait before a training replica's first restart; it doubles with each restart of that replica, up to 5 minutes.</summary>
    public TimeSpan RestartBackoff { get; set; } = TimeSpan.FromSeconds(1);
}
