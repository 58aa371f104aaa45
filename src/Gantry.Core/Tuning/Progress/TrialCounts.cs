namespace Gantry.Core.Tuning.Progress;

/// <summary>Trials by Katib state, with Katib's derived counts.</summary>
public sealed record TrialCounts(int Created, int Running, int Succeeded, int Failed, int Killed, int EarlyStopped, int MetricsUnavailable)
{
    public int Total => Created + Running + Succeeded + Failed + Killed + EarlyStopped + MetricsUnavailable;

    /// <summary>Pending or running: holding a parallel slot.</summary>
    public int Active => Created + Running;

    public int Completed => Total - Active;

    /// <summary>What counts against <c>maxFailedTrialCount</c>: Katib counts a trial without metrics as failed here.</summary>
    public int FailedOrWithoutMetrics => Failed + MetricsUnavailable;

    public static TrialCounts From(IEnumerable<TrialState> states)
    {
        var n = new int[Enum.GetValues<TrialState>().Length];
        foreach (var state in states)
        {
            n[(int)state]++;
        }
        return new TrialCounts(n[(int)TrialState.Created], n[(int)TrialState.Running], n[(int)TrialState.Succeeded], n[(int)TrialState.Failed],
            n[(int)TrialState.Killed], n[(int)TrialState.EarlyStopped], n[(int)TrialState.MetricsUnavailable]);
    }
}
