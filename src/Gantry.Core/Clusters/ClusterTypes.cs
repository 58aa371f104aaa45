namespace Gantry.Core.Clusters;

public static class ClusterTypes
{
    public const string Local = "local";
    public const string Kubernetes = "kubernetes";
}
