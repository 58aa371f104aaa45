namespace Gantry.Core.Scheduling;

/// <summary>Whether a job fits one cluster, and if not, why and by how much (<see cref="Code"/> null: it fits).</summary>
public sealed record ClusterVerdict(string Cluster, ReasonCode? Code, Resources.Resources Needed, Resources.Resources Free)
{
    /// <summary>For <see cref="ReasonCode.CapacityReserved"/>: the job the capacity is held for.</summary>
    public string? HeldFor { get; init; }

    /// <summary>For <see cref="ReasonCode.CannotRun"/>: why the cluster cannot run the job.</summary>
    public string? Why { get; init; }

    public bool Fits => Code is null;

    public string Reason => ReasonText.Verdict(this);
}
