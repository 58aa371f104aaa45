using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Where a job's custom resource is and the operator's last raw state: the job's BackendState,
/// so cancel, logs and a restarted gateway find the resource without asking the cluster.
/// </summary>
internal sealed record ResourceLocation(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("state")] string? State = null)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static ResourceLocation? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ResourceLocation>(json) is { Kind: not null, Namespace: not null, Name: not null } location ? location : null;
        }
        catch (JsonException)
        {
            // Another backend's state (the job moved between cluster types): not ours to read.
            return null;
        }
    }
}
