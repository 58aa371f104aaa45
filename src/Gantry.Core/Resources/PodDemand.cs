namespace Gantry.Core.Resources;

/// <summary><paramref name="Count"/> identical pods (or processes) of one role, each needing <paramref name="PerPod"/>.</summary>
public sealed record PodDemand(string Role, int Count, Resources PerPod)
{
    public Resources Total => PerPod * Count;
}
