using Gantry.Core.Audit;

namespace Gantry.Storage;

/// <summary>The audit trail of admin actions: appended to, never changed.</summary>
public interface IAuditStore
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    Task<AuditPage> ListAsync(AuditQuery query, CancellationToken cancellationToken);
}
