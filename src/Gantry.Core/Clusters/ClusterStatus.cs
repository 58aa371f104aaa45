using Gantry.Core.Resources;

namespace Gantry.Core.Clusters;

/// <summary>What a backend observes of a cluster right now.</summary>
public sealed record ClusterStatus(bool Healthy, Resources.Resources Capacity, Resources.Resources Free, IReadOnlySet<string> Kinds, string Message = "")
{
    public static ClusterStatus Unknown { get; } = new(false, Resources.Resources.Zero, Resources.Resources.Zero, new HashSet<string>(), "not observed yet");

    /// <summary>
    /// Its schedulable nodes, each with its own free capacity: a pod must fit on one node, so the
    /// cluster's total free capacity overstates what a gang of large pods can get. Empty when the
    /// backend knows only totals (the local machine is one node).
    /// </summary>
    public IReadOnlyList<NodeCapacity> Nodes { get; init; } = [];

    /// <summary>
    /// How many pods of each Gantry job (by job id) this reading shows bound to a node and not
    /// terminated; a job's other pods are not in <see cref="Free"/> yet. Empty for backends that
    /// count a job from the moment it is dispatched (the local machine).
    /// </summary>
    public IReadOnlyDictionary<string, int> BoundPods { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// Since when the cluster has failed to answer (null while healthy). Failover waits a grace
    /// period from this moment, so a blip does not move work.
    /// </summary>
    public DateTimeOffset? UnhealthySince { get; init; }

    /// <summary>
    /// Set when the cluster may run admins' jobs only, to why (the local cluster when its jobs would
    /// run as the gateway's own OS user); null: anyone's.
    /// </summary>
    public string? AdminsOnly { get; init; }

    /// <summary>
    /// The Kubeflow Trainer runtimes the cluster has (ClusterTrainingRuntimes and TrainingRuntimes), as
    /// last listed or watched; a TrainJob runs only where the runtime it names is.
    /// </summary>
    public IReadOnlyList<Kinds.Trainer.TrainingRuntime> Runtimes { get; init; } = [];

    /// <summary>Which Trainer API the cluster's TrainJob CRD serves ("v2.2+", "v2.1", "v2.0"), or null without one.</summary>
    public string? TrainerApi { get; init; }
}
