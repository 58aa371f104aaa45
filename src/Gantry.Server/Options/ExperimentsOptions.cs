namespace Gantry.Server.Options;

/// <summary>The tuning experiments' controller (docs/experiments.md).</summary>
public sealed class ExperimentsOptions
{
    /// <summary>How often the leader looks at every unfinished experiment: trial states, metrics, new trials.</summary>
    public int IntervalMilliseconds { get; set; } = 1000;

    /// <summary>The most of a trial's log the StdOut collector reads (its last lines up to this size).</summary>
    public int MaxLogBytes { get; set; } = 16 * 1024 * 1024;
}
