namespace Gantry.Core.Audit;

/// <summary>
/// One recorded admin action: who (<see cref="Actor"/>, a user name), what (<see cref="Action"/>,
/// one of <see cref="AuditActions"/>, on <see cref="Target"/>, with a short <see cref="Detail"/>
/// that never holds a secret), and when. <see cref="Seq"/> orders entries and pages the list.
/// </summary>
public sealed record AuditEntry(long Seq, DateTimeOffset At, string Actor, string Action, string Target, string Detail)
{
    /// <summary>Details are summaries, not documents: longer ones are cut to this many characters.</summary>
    public const int MaxDetailLength = 500;

    /// <summary>A new entry (its <see cref="Seq"/> is given by the store), its detail cut to <see cref="MaxDetailLength"/>.</summary>
    public static AuditEntry New(DateTimeOffset at, string actor, string action, string target, string detail) =>
        new(0, at, actor, action, target, detail.Length > MaxDetailLength ? detail[..(MaxDetailLength - 1)] + "…" : detail);
}
