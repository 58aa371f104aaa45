using System.Text.Json;
using Gantry.Core.Experiments;
using Gantry.Core.Tuning.Progress;

namespace Gantry.Storage.Sql;

/// <summary>The <c>experiments</c> row as Dapper reads and writes it.</summary>
internal sealed class ExperimentRow
{
    public const string Columns =
        "seq, id, name, owner, owner_groups, queue, priority, labels, manifest, state, reason, message, exhausted, summary, created_at, started_at, finished_at, updated_at, version";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public long Seq { get; set; }
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Owner { get; set; } = "";
    public string OwnerGroups { get; set; } = "[]";
    public string Queue { get; set; } = "";
    public long Priority { get; set; }
    public string Labels { get; set; } = "{}";
    public string Manifest { get; set; } = "";
    public string State { get; set; } = "";
    public string Reason { get; set; } = "";
    public string Message { get; set; } = "";
    public long Exhausted { get; set; }
    public string Summary { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? StartedAt { get; set; }
    public long? FinishedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long Version { get; set; }

    public static ExperimentRow From(ExperimentRun e) => new()
    {
        Seq = e.Seq,
        Id = e.Id,
        Name = e.Name,
        Owner = e.Owner,
        OwnerGroups = JsonColumns.Names(e.OwnerGroups),
        Queue = e.Queue,
        Priority = e.Priority,
        Labels = JsonColumns.Labels(e.Labels),
        Manifest = e.Manifest,
        State = e.State.ToString(),
        Reason = e.Reason,
        Message = e.Message,
        Exhausted = e.Exhausted ? 1 : 0,
        Summary = JsonSerializer.Serialize(e.Summary, Json),
        CreatedAt = Time.ToDb(e.CreatedAt),
        StartedAt = Time.ToDb(e.StartedAt),
        FinishedAt = Time.ToDb(e.FinishedAt),
        UpdatedAt = Time.ToDb(e.UpdatedAt),
        Version = e.Version,
    };

    public ExperimentRun ToRun() => new()
    {
        Seq = Seq,
        Id = Id,
        Name = Name,
        Owner = Owner,
        OwnerGroups = JsonColumns.Names(OwnerGroups),
        Queue = Queue,
        Priority = (int)Priority,
        Labels = JsonColumns.Labels(Labels),
        Manifest = Manifest,
        State = Enum.Parse<ExperimentConditionType>(State),
        Reason = Reason,
        Message = Message,
        Exhausted = Exhausted != 0,
        Summary = JsonSerializer.Deserialize<ExperimentSummary>(Summary, Json) ?? ExperimentSummary.Empty,
        CreatedAt = Time.FromDb(CreatedAt),
        StartedAt = Time.FromDb(StartedAt),
        FinishedAt = Time.FromDb(FinishedAt),
        UpdatedAt = Time.FromDb(UpdatedAt),
        Version = Version,
    };
}
