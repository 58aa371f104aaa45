namespace Gantry.Backends.Kubernetes.Management;

/// <summary>A service account token from a TokenRequest. A secret: handed to its user once, never stored or logged.</summary>
public sealed record IssuedToken(string Token, DateTimeOffset? ExpiresAt)
{
    public override string ToString() => $"IssuedToken {{ ExpiresAt = {ExpiresAt} }}";
}
