namespace Gantry.Backends.Kubernetes;

/// <summary>A job this backend follows until it ends: where its resource is and what was last reported.</summary>
internal sealed class TrackedJob(string jobId, Workload workload)
{
    public string JobId { get; } = jobId;

    public Workload Workload { get; } = workload;

    /// <summary>Serialises the decisions and reports about this job, so they reach the sink in the order they were made.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public ResourceLocation? Location { get; set; }

    /// <summary>
    /// The tracker's tick once the resource is known to exist (or should): a list asked for after
    /// it that lacks the resource proves the resource is gone. Until then, never.
    /// </summary>
    public long ExpectedSince { get; set; } = long.MaxValue;

    /// <summary>Taken back after a restart while its dispatch was under way: if its resource is missing it was never created.</summary>
    public bool ResumedWhileDispatching { get; set; }

    public bool CancelRequested { get; set; }

    public ObservedStatus? Last { get; set; }
}
