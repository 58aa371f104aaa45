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
}
