using Gantry.Core.Audit;

namespace Gantry.Server.Api;

/// <summary>One admin action: when, who, what (<c>queue.create</c>, <c>token.revoke</c>, ...), on what, and a short detail.</summary>
public sealed record AuditEntryDto(DateTimeOffset At, string Actor, string Action, string Target, string Detail)
{
    public static AuditEntryDto From(AuditEntry entry) => new(entry.At, entry.Actor, entry.Action, entry.Target, entry.Detail);
}
