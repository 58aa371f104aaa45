namespace Gantry.Sandbox.Auth;

/// <summary>What a request wants to do, in RBAC terms (also the body of a SelfSubjectAccessReview).</summary>
internal sealed record ResourceAttributes(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name)
{
    public string ResourceWithSubresource => Subresource is null ? Resource : $"{Resource}/{Subresource}";
}
