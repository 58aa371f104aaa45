namespace Gantry.Server.Monitoring;

/// <summary>Histogram buckets, chosen for what each histogram measures.</summary>
internal static class MetricBuckets
{
    /// <summary>Queue waits: from a scheduler round (0.1 s) to a day.</summary>
    public static readonly double[] QueueWaitSeconds = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];

    /// <summary>Job run times: a second to two days.</summary>
    public static readonly double[] RunSeconds = [1, 5, 15, 30, 60, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400, 172800];

    /// <summary>A scheduling round: well under a millisecond for a few jobs, tens of milliseconds for 100,000.</summary>
    public static readonly double[] RoundSeconds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    /// <summary>One try to take or renew the lease: a short write, slow only when the database is.</summary>
    public static readonly double[] LeaseRenewSeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Jobs placed by one round.</summary>
    public static readonly double[] PlacedJobs = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
}
