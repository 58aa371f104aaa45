namespace Gantry.Core.Tuning;

/// <summary>Katib's trial condition types. Completed = Succeeded, Failed, Killed, EarlyStopped or MetricsUnavailable.</summary>
public enum TrialState
{
    Created,
    Running,
    Succeeded,
    Failed,
    Killed,
    EarlyStopped,
    MetricsUnavailable,
}
