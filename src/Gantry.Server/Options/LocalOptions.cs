namespace Gantry.Server.Options;

/// <summary>The local cluster: this machine. Capacity overrides are for tests and for sharing a laptop politely.</summary>
public sealed class LocalOptions
{
    /// <summary>CPU to offer, as a quantity ("4", "1500m"); empty: all cores.</summary>
    public string Cpu { get; set; } = "";

    /// <summary>Memory to offer, as a quantity ("8Gi"); empty: all memory.</summary>
    public string Memory { get; set; } = "";

    public int Gpu { get; set; }

    public int CancelGraceSeconds { get; set; } = 10;

    /// <summary>
    /// The loopback ports local jobs get (a training master's, a Spark UI's): "first-last" outside
    /// the kernel's ephemeral range, or "auto", the 5,000 ending 10,000 below that range.
    /// </summary>
    public string PortRange { get; set; } = "auto";

    /// <summary>The spark-submit that runs SparkApplications here; empty: <c>$SPARK_HOME/bin/spark-submit</c>, else the first on PATH.</summary>
    public string SparkSubmit { get; set; } = "";

    /// <summary>
    /// The wait before a training replica's first restart, doubling with each further restart of it
    /// up to 5 minutes, like the kubelet's crash-loop back-off (which starts at 10 s).
    /// </summary>
    public int RestartBackoffMilliseconds { get; set; } = 1000;

    /// <summary>
    /// How jobs are kept from the gateway's files and from each other: auto, users, bubblewrap,
    /// admins-only or none (see docs/security.md, "Local jobs and the gateway's files").
    /// </summary>
    public string Isolation { get; set; } = "auto";

    /// <summary>Under "users": a Gantry user's jobs run as uid and gid JobUidBase + the user's number.</summary>
    public int JobUidBase { get; set; } = 200_000;

    /// <summary>
    /// Where job directories go; empty: /var/lib/gantry/jobs/&lt;hash of the data dir&gt; under "users"
    /// (job uids must be able to reach it, which they cannot inside the 0700 data dir), else &lt;data dir&gt;/jobs.
    /// </summary>
    public string JobsDirectory { get; set; } = "";
}
