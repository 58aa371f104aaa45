using System.Security.Claims;
using Gantry.Core.Audit;
using Gantry.Server.Auth;
using Gantry.Storage;

namespace Gantry.Server.Audit;

/// <summary>
/// Records an admin action after it succeeded: who (the caller), what (one of <see cref="AuditActions"/>),
/// on what, and a short detail that must never hold a secret.
/// </summary>
public sealed class AuditTrail(IGantryStore store, TimeProvider time)
{
    /// <summary>
    /// Not cancelled with the request: a change that was made is recorded even if its caller hung up
    /// before the answer.
    /// </summary>
    public Task RecordAsync(ClaimsPrincipal caller, string action, string target, string detail = "") =>
        store.Audit.AppendAsync(AuditEntry.New(time.GetUtcNow(), Caller.From(caller).Name, action, target, detail), CancellationToken.None);
}
