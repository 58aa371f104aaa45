using Gantry.Core.Queues;
using Gantry.Core.Resources;

namespace Gantry.Server.Api;

/// <summary>Quota limits as quantities; null means unlimited.</summary>
public sealed record QuotaDto(string? Cpu, string? Memory, long? Gpu, int? RunningJobs)
{
    public static QuotaDto From(QueueQuota q) => new(
        q.CpuMillis is { } c ? Quantity.FormatCpu(c) : null,
        q.MemoryBytes is { } m ? Quantity.FormatBytes(m) : null,
        q.Gpu,
        q.RunningJobs);
}

/// <summary>What a queue's jobs hold right now and how many wait.</summary>
public sealed record QueueUsageDto(ResourcesDto Used, int RunningJobs, long QueuedJobs)
{
    public static QueueUsageDto Empty { get; } = new(ResourcesDto.From(Resources.Zero), 0, 0);
}

public sealed record QueueDto(
    string Name,
    double Weight,
    int Priority,
    QuotaDto Quota,
    IReadOnlyDictionary<string, string> ClusterSelector,
    IReadOnlyDictionary<string, string> Affinity,
    string Policy,
    IReadOnlyList<string> AllowedUsers,
    IReadOnlyList<string> AllowedGroups,
    QueueUsageDto Usage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>From the scheduler's last round; null before the first round or for a queue created since.</summary>
    public FairShareDto? FairShare { get; init; }

    public static QueueDto From(Queue q, QueueUsageDto usage) =>
        new(q.Name, q.Weight, q.Priority, QuotaDto.From(q.Quota), q.ClusterSelector, q.Affinity, q.Policy.ToString(), q.AllowedUsers, q.AllowedGroups, usage, q.CreatedAt, q.UpdatedAt);
}
