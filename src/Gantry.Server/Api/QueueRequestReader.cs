using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using Gantry.Core.Manifests;
using Gantry.Core.Queues;
using Gantry.Core.Resources;
using Gantry.Core.Validation;

namespace Gantry.Server.Api;

/// <summary>Reads a queue definition from JSON, reporting every bad field at once by its path.</summary>
public static class QueueRequestReader
{
    private static readonly HashSet<string> Fields = ["name", "weight", "priority", "quota", "clusterSelector", "affinity", "policy", "allowedUsers", "allowedGroups"];
    private static readonly HashSet<string> QuotaFields = ["cpu", "memory", "gpu", "runningJobs"];

    public static Queue Read(byte[] body, string? pathName, DateTimeOffset now, DocumentLimits limits)
    {
        var root = JsonBody.Object(body, "the queue", limits);
        var errors = new ValidationErrors();
        var read = new ManifestReader(errors);
        foreach (var (key, _) in root)
        {
            if (!Fields.Contains(key))
            {
                errors.Add(key, $"is not a field of a queue; expected {string.Join(", ", Fields)}");
            }
        }
        var name = read.String(root, "", "name", required: pathName is null) ?? pathName ?? "";
        if (pathName is not null && name != pathName)
        {
            errors.Add("name", $"'{name}' differs from the queue named in the path ('{pathName}')");
        }
        var weight = Weight(root, errors);
        var priority = read.Integer(root, "", "priority", min: int.MinValue) ?? 0;
        var quota = ReadQuota(read, read.Object(root, "", "quota"));
        var selector = Labels(read, root, "clusterSelector", errors);
        var affinity = Labels(read, root, "affinity", errors);
        var allowedUsers = Names(read, root, "allowedUsers", errors);
        var allowedGroups = Names(read, root, "allowedGroups", errors);
        var policyText = read.String(root, "", "policy");
        var policy = PlacementPolicy.LeastLoaded;
        if (policyText is not null && (!Enum.TryParse(policyText, ignoreCase: false, out policy) || !Enum.IsDefined(policy)))
        {
            errors.Add("policy", $"'{policyText}' is not one of {string.Join(", ", Enum.GetNames<PlacementPolicy>())}");
        }
        var queue = new Queue
        {
            Name = name,
            Weight = weight,
            Priority = (int)Math.Clamp(priority, int.MinValue, int.MaxValue),
            Quota = quota,
            ClusterSelector = selector,
            Affinity = affinity,
            Policy = policy,
            AllowedUsers = allowedUsers,
            AllowedGroups = allowedGroups,
            CreatedAt = now,
            UpdatedAt = now,
        };
        QueueRules.Validate(queue, errors);
        errors.ThrowIfAny("The queue has invalid fields.");
        return queue;
    }

    private static Dictionary<string, string> Labels(ManifestReader read, JsonObject root, string field, ValidationErrors errors)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in read.Object(root, "", field) ?? [])
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                labels[key] = v.GetValue<string>();
            }
            else
            {
                errors.Add($"{field}.{key}", "must be a string");
            }
        }
        return labels;
    }

    private static List<string> Names(ManifestReader read, JsonObject root, string field, ValidationErrors errors)
    {
        var names = new List<string>();
        var array = read.Array(root, "", field) ?? [];
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                names.Add(v.GetValue<string>());
            }
            else
            {
                errors.Add($"{field}[{i}]", "must be a string");
            }
        }
        return names;
    }

    private static double Weight(JsonObject root, ValidationErrors errors)
    {
        if (root["weight"] is null)
        {
            return 1;
        }
        if (root["weight"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return v.GetValue<double>();
        }
        errors.Add("weight", "must be a number");
        return 1;
    }

    private static QueueQuota ReadQuota(ManifestReader read, JsonObject? quota)
    {
        if (quota is null)
        {
            return QueueQuota.Unlimited;
        }
        foreach (var (key, _) in quota)
        {
            if (!QuotaFields.Contains(key))
            {
                read.Errors.Add($"quota.{key}", $"is not a quota; expected {string.Join(", ", QuotaFields)}");
            }
        }
        long? cpu = null, memory = null;
        if (read.Scalar(quota, "quota", "cpu") is { } cpuText)
        {
            if (Quantity.TryParseCpuMillis(cpuText, out var millis, out var problem))
            {
                cpu = millis;
            }
            else
            {
                read.Errors.Add("quota.cpu", problem);
            }
        }
        if (read.Scalar(quota, "quota", "memory") is { } memoryText)
        {
            if (Quantity.TryParseBytes(memoryText, out var bytes, out var problem))
            {
                memory = bytes;
            }
            else
            {
                read.Errors.Add("quota.memory", problem);
            }
        }
        var gpu = read.Integer(quota, "quota", "gpu", min: 0, allowString: true);
        var running = read.Integer(quota, "quota", "runningJobs", min: 0);
        return new QueueQuota(cpu, memory, gpu, running is null ? null : (int)Math.Min(running.Value, int.MaxValue));
    }
}
