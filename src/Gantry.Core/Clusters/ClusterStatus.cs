using Gantry.Core.Resources;

namespace Gantry.Core.Clusters;

/// <summary>What a backend observes of a cluster right now.</summary>
public sealed record ClusterStatus(bool Healthy, Resources.Resources Capacity, Resources.Resources Free, IReadOnlySet<string> Kinds, string Message = "")
{
    public static ClusterStatus Unknown { get; } = new(false, Resources.Resources.Zero, Resources.Resources.Zero, new HashSet<string>(), "not observed yet");
}
