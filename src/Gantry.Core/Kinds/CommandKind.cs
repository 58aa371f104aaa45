using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Validation;

namespace Gantry.Core.Kinds;

/// <summary>
/// A plain command: <c>{"kind": "Command", "spec": {"command": [...], "env": {}, "workingDir": "...",
/// "resources": {"cpu": "1", "memory": "512Mi", "gpu": 0}}}</c>. Its demand is its own resources.
/// </summary>
public sealed class CommandKind : IJobKind
{
    public static readonly Resources.Resources DefaultResources = new(1000, 512L * 1024 * 1024, 0);

    public string Name => "Command";

    public KubernetesResource? Resource => null;

    public ResourceDemand Analyze(JsonObject manifest, ValidationErrors errors)
    {
        var read = new ManifestReader(errors);
        var spec = read.Object(manifest, "manifest", "spec", required: true);
        var command = read.Array(spec, "manifest.spec", "command", required: true);
        if (command is not null)
        {
            if (command.Count == 0)
            {
                errors.Add("manifest.spec.command", "must name the program to run");
            }
            for (var i = 0; i < command.Count; i++)
            {
                if (command[i] is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String)
                {
                    errors.Add($"manifest.spec.command[{i}]", "must be a string");
                }
            }
        }
        var env = read.Object(spec, "manifest.spec", "env");
        if (env is not null)
        {
            foreach (var (key, value) in env)
            {
                if (key.Length == 0 || key.Contains('='))
                {
                    errors.Add("manifest.spec.env", $"'{key}' is not a valid variable name");
                }
                if (value is not JsonValue v || v.GetValueKind() is not (System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Number or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
                {
                    errors.Add($"manifest.spec.env.{key}", "must be a string");
                }
            }
        }
        read.String(spec, "manifest.spec", "workingDir");
        var resources = ReadResources(read, read.Object(spec, "manifest.spec", "resources"), "manifest.spec.resources");
        return new ResourceDemand([new PodDemand("main", 1, resources)]);
    }

    private static Resources.Resources ReadResources(ManifestReader read, JsonObject? resources, string path)
    {
        var result = DefaultResources;
        if (resources is null)
        {
            return result;
        }
        var cpu = read.Scalar(resources, path, "cpu");
        if (cpu is not null)
        {
            if (Quantity.TryParseCpuMillis(cpu, out var millis, out var problem))
            {
                result = result with { CpuMillis = millis };
            }
            else
            {
                read.Errors.Add($"{path}.cpu", problem);
            }
        }
        var memory = read.Scalar(resources, path, "memory");
        if (memory is not null)
        {
            if (Quantity.TryParseBytes(memory, out var bytes, out var problem))
            {
                result = result with { MemoryBytes = bytes };
            }
            else
            {
                read.Errors.Add($"{path}.memory", problem);
            }
        }
        var gpu = read.Integer(resources, path, "gpu", min: 0, allowString: true);
        if (gpu is not null)
        {
            result = result with { Gpu = gpu.Value };
        }
        return result;
    }
}
