using Gantry.Core.Resources;

namespace Gantry.Core.Scheduling;

/// <summary>A queued job as the scheduler sees it; <paramref name="Seq"/> orders submissions.</summary>
public sealed record PendingJob(string Id, string Queue, string Kind, int Priority, long Seq, DateTimeOffset CreatedAt, ResourceDemand Demand)
{
    /// <summary>Whether its owner is an admin, which only clusters marked <see cref="ClusterView.AdminsOnly"/> ask.</summary>
    public bool ByAdmin { get; init; }

    /// <summary>
    /// Clusters that cannot run this job at all, each with why (<c>local</c>, when its command is not
    /// on the gateway's machine; see <see cref="LocalRuns.LocalRunCheck"/>). Empty for most jobs.
    /// </summary>
    public IReadOnlyDictionary<string, string> Refused { get; init; } = NoRefusals;

    /// <summary>
    /// The job's gang on particular clusters where it differs from <see cref="Demand"/>: a TrainJob's
    /// depends on each cluster's runtime. A cluster not listed gets <see cref="Demand"/>.
    /// </summary>
    public IReadOnlyDictionary<string, ResourceDemand> DemandByCluster { get; init; } = NoDemands;

    /// <summary>The gang on <paramref name="cluster"/>.</summary>
    public ResourceDemand DemandOn(string cluster) =>
        DemandByCluster.Count > 0 && DemandByCluster.TryGetValue(cluster, out var demand) ? demand : Demand;

    private static readonly IReadOnlyDictionary<string, string> NoRefusals = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, ResourceDemand> NoDemands = new Dictionary<string, ResourceDemand>();
}
