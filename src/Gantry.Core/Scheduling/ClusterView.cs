namespace Gantry.Core.Scheduling;

/// <summary>A cluster as the scheduler sees it: what it can run and what is free on it now.</summary>
public sealed record ClusterView(
    string Name,
    bool Healthy,
    bool Cordoned,
    Resources.Resources Capacity,
    Resources.Resources Free,
    IReadOnlySet<string> Kinds);
