using Gantry.Core.Resources;
using Gantry.Core.Scheduling;
using static Gantry.Core.Tests.Scheduling.Snapshots;

namespace Gantry.Core.Tests.Scheduling;

/// <summary>A TrainJob's gang depends on each cluster's runtime: each cluster is fitted with its own demand, and one without the runtime refuses.</summary>
public class PerClusterDemandTests
{
    private const string NoRuntime = "no ClusterTrainingRuntime torch-distributed";
    private readonly FairShareScheduler _scheduler = new();

    private static ResourceDemand Nodes(int count, long cpu) => new([new PodDemand("node", count, Cpu(cpu))]);

    private static PendingJob TrainJob(string id, IReadOnlyDictionary<string, ResourceDemand> demands, IReadOnlyDictionary<string, string>? refused = null) =>
        Job(id, 1, kind: "TrainJob") with
        {
            Demand = demands.First().Value,
            DemandByCluster = demands,
            Refused = refused ?? new Dictionary<string, string>(),
        };

    [Fact]
    public void Each_cluster_is_fitted_with_its_own_demand()
    {
        // On west the runtime asks 4 nodes of 4 cpu (16 cpu, west has 8); on east 2 of 2 cpu.
        var job = TrainJob("tj", new Dictionary<string, ResourceDemand> { ["west"] = Nodes(4, 4), ["east"] = Nodes(2, 2) });

        var result = _scheduler.Schedule(Of([Cluster("east", cpu: 4), Cluster("west", cpu: 8)], job));

        Assert.Equal("east", result.PlacedOn("tj"));
    }

    [Fact]
    public void A_cluster_without_the_runtime_is_not_eligible_and_explain_says_so()
    {
        var job = TrainJob("tj", new Dictionary<string, ResourceDemand> { ["west"] = Nodes(2, 2) }, new Dictionary<string, string> { ["east"] = NoRuntime });
        var snapshot = Of([Cluster("east", cpu: 64), Cluster("west", cpu: 8, freeCpu: 1)], job);

        var result = _scheduler.Schedule(snapshot);
        var verdicts = WaitAnalysis.Verdicts(snapshot.Jobs[0], snapshot, result);

        Assert.Empty(result.Placements);
        Assert.Equal(ReasonCode.Insufficient, result.Waiting["tj"].Code);
        var east = verdicts.Single(v => v.Cluster == "east");
        Assert.Equal((ReasonCode.CannotRun, NoRuntime), (east.Code, east.Reason));
        Assert.Equal(Nodes(2, 2).Total, verdicts.Single(v => v.Cluster == "west").Needed);
    }

    [Fact]
    public void Refused_everywhere_it_waits_naming_each_cluster()
    {
        var job = TrainJob("tj", new Dictionary<string, ResourceDemand> { ["x"] = Nodes(1, 1) },
            new Dictionary<string, string> { ["east"] = NoRuntime, ["west"] = NoRuntime });

        var result = _scheduler.Schedule(Of([Cluster("east", cpu: 64), Cluster("west", cpu: 64)], job));

        Assert.Equal($"no cluster it may use can run it; east: {NoRuntime}; west: {NoRuntime}", result.Waiting["tj"].Summary);
    }
}
