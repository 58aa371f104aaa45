namespace Gantry.Core.Tuning.EarlyStopping;

/// <summary>Whether to stop a running trial now, and why (the reason is shown to the user).</summary>
public sealed record StopDecision(bool Stop, string Reason)
{
    public static StopDecision Continue(string reason) => new(false, reason);
}
