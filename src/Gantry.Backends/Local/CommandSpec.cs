using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Backends.Local;

/// <summary>The parts of a Command manifest the local backend needs. The manifest was validated at submission.</summary>
internal sealed record CommandSpec(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Env, string? WorkingDir)
{
    public static CommandSpec Parse(string manifestJson)
    {
        var spec = JsonNode.Parse(manifestJson)?["spec"] as JsonObject ?? [];
        var command = (spec["command"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec["env"] is JsonObject vars)
        {
            foreach (var (key, value) in vars)
            {
                env[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "";
            }
        }
        var workingDir = spec["workingDir"] is JsonValue w && w.GetValueKind() == JsonValueKind.String ? w.GetValue<string>() : null;
        return new CommandSpec(command, env, workingDir);
    }
}
