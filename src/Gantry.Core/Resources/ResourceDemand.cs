namespace Gantry.Core.Resources;

/// <summary>
/// What a job needs all at once (its gang): every pod of every role. A job is placed only
/// where the whole of it fits.
/// </summary>
public sealed record ResourceDemand
{
    public ResourceDemand(IReadOnlyList<PodDemand> pods)
    {
        Pods = pods;
        // Summed once: a scheduling round asks a hundred thousand jobs for their total several times each.
        var total = Resources.Zero;
        foreach (var pod in pods)
        {
            total += pod.Total;
        }
        Total = total;
    }

    public static ResourceDemand None { get; } = new([]);

    public IReadOnlyList<PodDemand> Pods { get; }

    public Resources Total { get; }

    public int PodCount => Pods.Sum(p => p.Count);
}
