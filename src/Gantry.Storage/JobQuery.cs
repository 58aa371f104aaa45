using Gantry.Core.Jobs;
using Gantry.Core.Labels;

namespace Gantry.Storage;

/// <summary>
/// A page of the job list, newest first. <see cref="BeforeSeq"/> is the keyset cursor:
/// jobs inserted while a client pages are newer than its cursor and never shift a page.
/// </summary>
public sealed record JobQuery
{
    public IReadOnlyList<JobState> States { get; init; } = [];
    public string? Queue { get; init; }
    public string? Owner { get; init; }
    public string? Kind { get; init; }
    public string? Cluster { get; init; }
    public LabelSelector Labels { get; init; } = LabelSelector.Everything;
    public int Limit { get; init; } = 50;
    public long? BeforeSeq { get; init; }

    /// <summary>Whether the job passes the filters (the page bounds aside): what a watcher of the list is told about.</summary>
    public bool Matches(Job job) =>
        (States.Count == 0 || States.Contains(job.State))
        && (Queue is null || Queue == job.Queue)
        && (Owner is null || Owner == job.Owner)
        && (Kind is null || Kind == job.Kind)
        && (Cluster is null || Cluster == job.Cluster)
        && Labels.Matches(job.Labels);
}
