namespace Gantry.Core.Tuning.Progress;

/// <summary>Katib's experiment condition types; the newest true one is the experiment's state.</summary>
public enum ExperimentConditionType
{
    Created,
    Running,
    Restarting,
    Succeeded,
    Failed,
}
