namespace Gantry.Core.Scheduling;

/// <summary>
/// The most hopeful cluster a scan found for a job that does not fit anywhere yet, to say why it
/// waits. A mutable struct kept in a local, so that scanning allocates nothing.
/// </summary>
internal struct ClosestCluster
{
    private double _gap = double.MaxValue;

    public ClosestCluster()
    {
    }

    public ClusterLedger? Cluster { get; private set; }

    public ReasonCode Code { get; private set; } = ReasonCode.OverQuota;

    /// <summary>Keeps the most hopeful cluster: the lowest reason code, then the smallest gap, then the name.</summary>
    public void Consider(ClusterLedger cluster, ReasonCode code, Resources.Resources total)
    {
        if (code > Code)
        {
            return;
        }
        var gap = cluster.Gap(total, cluster.Free);
        if (code < Code || gap < _gap)
        {
            Cluster = cluster;
            Code = code;
            _gap = gap;
        }
    }
}
