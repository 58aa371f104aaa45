using System.Security.Claims;
using Gantry.Core.Users;
using Gantry.Server.Auth;

namespace Gantry.Server.Identity;

/// <summary>The principal of a caller an identity provider vouched for: a Gantry user name, a role, the provider's groups.</summary>
public static class IdentityPrincipal
{
    /// <summary>The claim naming where the identity came from, for the audit trail and the logs (e.g. <c>cluster-a/team-x/default-editor</c>).</summary>
    public const string SourceClaim = "gantry:identity";

    public static ClaimsPrincipal For(User user, bool admin, IEnumerable<string> groups, string source, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.Role, (admin || user.IsAdmin ? Role.Admin : Role.User).ToString()),
            new(SourceClaim, source),
        };
        claims.AddRange(groups.Distinct(StringComparer.Ordinal).Select(g => new Claim(Caller.GroupClaim, g)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
