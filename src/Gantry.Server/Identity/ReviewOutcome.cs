using System.Security.Claims;

namespace Gantry.Server.Identity;

/// <summary>What checking a token found: the caller's principal, or why not (said to the caller in the 401).</summary>
public sealed record ReviewOutcome(ClaimsPrincipal? Principal, string? Refusal)
{
    public static ReviewOutcome Refused(string why) => new(null, why);
}
