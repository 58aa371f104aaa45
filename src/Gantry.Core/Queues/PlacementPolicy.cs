namespace Gantry.Core.Queues;

/// <summary>How a queue's jobs choose among the clusters they fit on.</summary>
public enum PlacementPolicy
{
    LeastLoaded,
    BestFit,
    LabelAffinity,
}
