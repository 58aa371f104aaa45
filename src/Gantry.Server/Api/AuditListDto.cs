namespace Gantry.Server.Api;

/// <summary>A page of the audit trail, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record AuditListDto(IReadOnlyList<AuditEntryDto> Items, string? NextCursor);
