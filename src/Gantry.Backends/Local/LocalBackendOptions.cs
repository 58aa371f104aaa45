namespace Gantry.Backends.Local;

public sealed class LocalBackendOptions
{
    /// <summary>Where each job gets its directory (working dir, log, exit code).</summary>
    public string JobsDirectory { get; set; } = "";

    /// <summary>The URL jobs use to reach the gateway (GANTRY_URL in their environment).</summary>
    public string GatewayUrl { get; set; } = "";

    /// <summary>Overrides the detected capacity: millicores, bytes, GPUs. Null: the machine's own.</summary>
    public Core.Resources.Resources? Capacity { get; set; }

    /// <summary>The spark-submit to run SparkApplications with; null: <c>$SPARK_HOME/bin/spark-submit</c>, else the first on PATH.</summary>
    public string? SparkSubmit { get; set; }

    /// <summary>How long a cancelled job gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan CancelGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait before a training replica's first restart; it doubles with each restart of that replica, up to 5 minutes.</summary>
    public TimeSpan RestartBackoff { get; set; } = TimeSpan.FromSeconds(1);
}
