using System.Security.Claims;

namespace Gantry.Server.Identity;

/// <summary>
/// What checking a token found: the caller's principal, or why not (said to the caller in the 401).
/// A transient refusal (no cluster could be asked) is not remembered: the next request asks again.
/// </summary>
public sealed record ReviewOutcome(ClaimsPrincipal? Principal, string? Refusal, bool Transient = false)
{
    public static ReviewOutcome Refused(string why, bool transient = false) => new(null, why, transient);
}
