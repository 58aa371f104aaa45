using Gantry.Core.Jobs;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Where a job's resource is: where the tracker saw it, else where the store recorded it, else
/// where Gantry would have put it; and following a job the store says was already created.
/// </summary>
internal sealed class JobLocations(JobTracker tracker, string defaultNamespace)
{
    /// <summary>Tracks <paramref name="job"/> (already created, as far as the store knows) at the location it recorded.</summary>
    public TrackedJob Follow(Job job, Workload workload)
    {
        var tracked = tracker.Track(job.Id, workload);
        tracked.Location ??= Recorded(job, workload);
        if (tracked.ExpectedSince == long.MaxValue && job.State != JobState.Queued)
        {
            tracked.ExpectedSince = tracker.Tick();
        }
        return tracked;
    }

    /// <summary>The location the tracker knows, else the recorded one, else the guessed one.</summary>
    public ResourceLocation Find(Job job, Workload workload) => tracker.Find(job.Id)?.Location ?? Recorded(job, workload);

    /// <summary>The location the store recorded (the job's BackendState), else the guessed one.</summary>
    public ResourceLocation Recorded(Job job, Workload workload) => ResourceLocation.FromJson(job.BackendState) ?? Guessed(job, workload);

    /// <summary>
    /// Where the job's resource is when nothing recorded it (a dispatch cut short): the manifest's
    /// namespace or the cluster's, under Gantry's name. The informers find it by label anyway.
    /// </summary>
    private ResourceLocation Guessed(Job job, Workload workload) =>
        new(workload.Kind, NamespaceChoice.Asked(job.Manifest) ?? defaultNamespace, GantryLabels.ResourceName(job.Id));
}
