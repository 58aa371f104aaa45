namespace Gantry.Core.Scheduling;

/// <summary>A cluster as the scheduler sees it: where it may send work, and what is free there now.</summary>
public sealed record ClusterView(
    string Name,
    bool Healthy,
    bool Cordoned,
    Resources.Resources Capacity,
    Resources.Resources Free,
    IReadOnlySet<string> Kinds)
{
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Demand Gantry has already sent there that the cluster does not show yet, known only as a
    /// total: subtracted from <see cref="Free"/> and, as one lump, from the nodes it would fill
    /// first, so one round's capacity is not given twice. Prefer <see cref="InFlight"/>, which
    /// keeps the pods apart.
    /// </summary>
    public Resources.Resources Unobserved { get; init; }

    /// <summary>
    /// The pods Gantry has sent there that the cluster's last capacity reading does not show bound
    /// to a node yet (objects created, pods not yet created or not yet bound). Each is charged to a
    /// node it would land on, as a one-node-per-pod fit, and to the totals, until the reading shows it.
    /// </summary>
    public IReadOnlyList<Resources.PodDemand> InFlight { get; init; } = [];

    /// <summary>Its schedulable nodes; empty when the backend only knows totals (then the cluster is one node).</summary>
    public IReadOnlyList<NodeView> Nodes { get; init; } = [];

    /// <summary>Set when only admins' jobs may go there, to why (see <see cref="Clusters.ClusterStatus.AdminsOnly"/>); null: anyone's.</summary>
    public string? AdminsOnly { get; init; }
}
