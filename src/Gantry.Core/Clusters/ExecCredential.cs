namespace Gantry.Core.Clusters;

/// <summary>A kubeconfig exec credential plugin: the command that prints an ExecCredential with a token.</summary>
public sealed record ExecCredential
{
    public required string Command { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public string ApiVersion { get; init; } = "client.authentication.k8s.io/v1";
}
