namespace Gantry.Core.Resources;

/// <summary>
/// What a job needs all at once (its gang): every pod of every role. A job is placed only
/// where the whole of it fits.
/// </summary>
public sealed record ResourceDemand(IReadOnlyList<PodDemand> Pods)
{
    public static ResourceDemand None { get; } = new([]);

    public Resources Total => Pods.Aggregate(Resources.Zero, (sum, pod) => sum + pod.Total);

    public int PodCount => Pods.Sum(p => p.Count);
}
