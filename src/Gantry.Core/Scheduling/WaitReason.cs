namespace Gantry.Core.Scheduling;

/// <summary>
/// Why a job is still queued after a round, as data; <see cref="Summary"/> puts it in words.
/// Words are made only when asked for, because a round may leave a hundred thousand jobs waiting.
/// </summary>
public sealed record WaitReason(ReasonCode Code)
{
    public string Queue { get; init; } = "";

    /// <summary>The cluster the reason is about: the most hopeful one the job may use.</summary>
    public string? Cluster { get; init; }

    public Resources.Resources Needed { get; init; }

    /// <summary>What <see cref="Cluster"/> had free for it.</summary>
    public Resources.Resources Free { get; init; }

    public QuotaBreach? Quota { get; init; }

    public string? HeldFor { get; init; }

    /// <summary>The cluster where capacity is held back for this job because it has waited too long.</summary>
    public string? ReservedOn { get; init; }

    /// <summary>How many clusters the job's queue allows for its kind.</summary>
    public int Allowed { get; init; }

    /// <summary>For <see cref="ReasonCode.CannotRun"/>: each refusing cluster and why, as "local: container pytorch has no command; ...".</summary>
    public string? Refusals { get; init; }

    public string Summary => ReasonText.Wait(this);
}
