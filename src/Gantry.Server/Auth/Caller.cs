using System.Security.Claims;
using Gantry.Core.Users;

namespace Gantry.Server.Auth;

/// <summary>Who is calling, as the bearer token (or the identity provider behind it) said.</summary>
public sealed record Caller(string Name, Role Role, string? JobId = null)
{
    /// <summary>The claim that marks a job's own token, holding the job's id.</summary>
    public const string JobClaim = "gantry:job";

    /// <summary>One claim per group the caller's identity provider put them in (OIDC, Kubeflow's groups header, a service account's groups).</summary>
    public const string GroupClaim = "gantry:group";

    /// <summary>The groups, for queue access lists; Gantry's own tokens carry none.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    public bool IsAdmin => Role == Role.Admin;

    public static Caller From(ClaimsPrincipal principal) =>
        new(principal.Identity?.Name ?? throw new InvalidOperationException("The request is not authenticated."),
            principal.IsInRole(nameof(Role.Admin)) ? Role.Admin : Role.User,
            principal.FindFirst(JobClaim)?.Value)
        {
            Groups = principal.FindAll(GroupClaim).Select(c => c.Value).ToList(),
        };

    /// <summary>Admins see every job; users only their own; a job's token sees nothing but its own metrics.</summary>
    public bool CanSee(string owner) => JobId is null && (IsAdmin || string.Equals(owner, Name, StringComparison.Ordinal));
}
