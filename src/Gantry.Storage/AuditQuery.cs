namespace Gantry.Storage;

/// <summary>
/// A page of the audit trail, newest first, paged by <see cref="BeforeSeq"/> like the job list.
/// <see cref="Action"/> is an action (<c>cluster.cordon</c>) or, without a dot, a resource whose
/// every action matches (<c>cluster</c>).
/// </summary>
public sealed record AuditQuery
{
    public string? Actor { get; init; }
    public string? Action { get; init; }
    public DateTimeOffset? Since { get; init; }
    public int Limit { get; init; } = 50;
    public long? BeforeSeq { get; init; }
}
