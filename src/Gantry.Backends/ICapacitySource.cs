using Gantry.Core.Clusters;

namespace Gantry.Backends;

/// <summary>What a cluster can hold and has free, as its backend observes it now.</summary>
public interface ICapacitySource
{
    ClusterStatus Status(Cluster cluster);
}
