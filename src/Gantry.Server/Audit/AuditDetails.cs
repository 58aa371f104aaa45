using System.Globalization;
using Gantry.Core.Clusters;
using Gantry.Core.Queues;
using Gantry.Core.Resources;

namespace Gantry.Server.Audit;

/// <summary>The short, secret-free details the audit trail keeps about what an action set.</summary>
public static class AuditDetails
{
    public static string Queue(Queue queue)
    {
        var quota = string.Join(", ", new[]
        {
            queue.Quota.CpuMillis is { } cpu ? $"cpu {Quantity.FormatCpu(cpu)}" : null,
            queue.Quota.MemoryBytes is { } memory ? $"memory {Quantity.FormatBytes(memory)}" : null,
            queue.Quota.Gpu is { } gpu ? $"gpu {gpu}" : null,
            queue.Quota.RunningJobs is { } jobs ? $"{jobs} running jobs" : null,
        }.Where(s => s is not null));
        return string.Create(CultureInfo.InvariantCulture,
            $"weight {queue.Weight}, priority {queue.Priority}, policy {queue.Policy}, quota {(quota.Length == 0 ? "unlimited" : quota)}, selector {Labels(queue.ClusterSelector)}, "
            + $"allowed {(queue.AllowedUsers.Count == 0 && queue.AllowedGroups.Count == 0 ? "everyone" : $"users [{string.Join(",", queue.AllowedUsers)}] groups [{string.Join(",", queue.AllowedGroups)}]")}");
    }

    /// <summary>Where a cluster is and how Gantry signs in there; never the credential.</summary>
    public static string Cluster(Cluster cluster, ClusterConnection? connection) =>
        (connection is null ? cluster.Type : $"server {connection.Server}, namespace {connection.Namespace}")
        + $", labels {Labels(cluster.Labels)}";

    public static string Labels(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? "{}" : string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}
