namespace Gantry.Core.Kinds;

/// <summary>The API coordinates of a custom resource: <c>/apis/{Group}/{Version}/namespaces/{ns}/{Plural}</c>.</summary>
public sealed record KubernetesResource(string Group, string Version, string Plural)
{
    public string ApiVersion => $"{Group}/{Version}";
}
