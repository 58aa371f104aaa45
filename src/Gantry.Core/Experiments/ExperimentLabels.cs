namespace Gantry.Core.Experiments;

/// <summary>The labels every trial job carries, so a job tells which experiment and trial it runs.</summary>
public static class ExperimentLabels
{
    public const string Experiment = "gantry.io/experiment";
    public const string Trial = "gantry.io/trial";
}
