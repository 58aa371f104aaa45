namespace Gantry.Core.Scheduling;

/// <summary>
/// Why a job is not running on a cluster, as data. Declared from "nearly there" to "never":
/// a lower value is the more hopeful answer, which is how reasons are ranked.
/// </summary>
public enum ReasonCode
{
    /// <summary>It would fit, but the capacity is held for a job that has waited longer.</summary>
    CapacityReserved,

    /// <summary>Enough is free in total, but no node has room for one of its pods.</summary>
    NodeFit,

    /// <summary>Not enough free now.</summary>
    Insufficient,

    Cordoned,

    Unhealthy,

    /// <summary>Its queue holds as much as its quota allows.</summary>
    QuotaExceeded,

    /// <summary>Bigger than the cluster (or its largest node) even when empty.</summary>
    TooLarge,

    /// <summary>
    /// The cluster cannot run this job whatever is free: <c>local</c>, when a container's command or
    /// script is not on the gateway's machine. The job waits, since the files may yet appear.
    /// </summary>
    CannotRun,

    /// <summary>No cluster the queue may use runs this kind of job.</summary>
    NoMatchingCluster,

    /// <summary>Bigger than its queue's quota even with nothing else running.</summary>
    OverQuota,
}
