using System.Text.Json;
using Gantry.Core.Queues;
using Gantry.Core.Resources;

namespace Gantry.Storage.Sql;

/// <summary>How the JSON-valued columns are written and read.</summary>
internal static class JsonColumns
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Labels(IReadOnlyDictionary<string, string> labels) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal), Options);

    public static IReadOnlyDictionary<string, string> Labels(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json, Options) ?? [];

    /// <summary>A list of names (a queue's allowed users or groups), sorted and without repeats.</summary>
    public static string Names(IReadOnlyList<string> names) =>
        JsonSerializer.Serialize(names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), Options);

    public static IReadOnlyList<string> Names(string json) =>
        JsonSerializer.Deserialize<List<string>>(json, Options) ?? [];

    public static string Demand(ResourceDemand demand) =>
        JsonSerializer.Serialize(demand.Pods.Select(p => new PodRow(p.Role, p.Count, p.PerPod.CpuMillis, p.PerPod.MemoryBytes, p.PerPod.Gpu)), Options);

    public static ResourceDemand Demand(string json) =>
        new((JsonSerializer.Deserialize<List<PodRow>>(json, Options) ?? [])
            .Select(p => new PodDemand(p.Role, p.Count, new Resources(p.CpuMillis, p.MemoryBytes, p.Gpu)))
            .ToList());

    public static string Quota(QueueQuota quota) => JsonSerializer.Serialize(quota, Options);

    public static QueueQuota Quota(string json) => JsonSerializer.Deserialize<QueueQuota>(json, Options) ?? QueueQuota.Unlimited;

    private sealed record PodRow(string Role, int Count, long CpuMillis, long MemoryBytes, long Gpu);
}
