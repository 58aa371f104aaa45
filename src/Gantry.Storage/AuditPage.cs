using Gantry.Core.Audit;

namespace Gantry.Storage;

/// <summary>One page of the audit trail; <see cref="NextBeforeSeq"/> is null on the last page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, long? NextBeforeSeq);
