using System.Security.Claims;
using Gantry.Core.Users;

namespace Gantry.Server.Auth;

/// <summary>Who is calling, as the bearer token said.</summary>
public sealed record Caller(string Name, Role Role)
{
    public bool IsAdmin => Role == Role.Admin;

    public static Caller From(ClaimsPrincipal principal) =>
        new(principal.Identity?.Name ?? throw new InvalidOperationException("The request is not authenticated."),
            principal.IsInRole(nameof(Role.Admin)) ? Role.Admin : Role.User);

    /// <summary>Admins see every job; users only their own.</summary>
    public bool CanSee(string owner) => IsAdmin || string.Equals(owner, Name, StringComparison.Ordinal);
}
