using System.Text.Json;
using Gantry.Core.Experiments;
using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Observations;

namespace Gantry.Storage.Sql;

/// <summary>The <c>experiment_trials</c> row as Dapper reads and writes it.</summary>
internal sealed class TrialRow
{
    public const string Columns =
        "experiment_id, idx, name, assignments, job_id, state, objective, metrics, objective_head, message, created_at, finished_at";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ExperimentId { get; set; } = "";
    public long Idx { get; set; }
    public string Name { get; set; } = "";
    public string Assignments { get; set; } = "[]";
    public string? JobId { get; set; }
    public string State { get; set; } = "";
    public double? Objective { get; set; }
    public string Metrics { get; set; } = "[]";
    public string ObjectiveHead { get; set; } = "[]";
    public string Message { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? FinishedAt { get; set; }

    public static TrialRow From(TrialRun t) => new()
    {
        ExperimentId = t.ExperimentId,
        Idx = t.Index,
        Name = t.Name,
        Assignments = JsonSerializer.Serialize(t.Assignments, Json),
        JobId = t.JobId,
        State = t.State.ToString(),
        Objective = t.Objective,
        Metrics = JsonSerializer.Serialize(t.Metrics, Json),
        ObjectiveHead = JsonSerializer.Serialize(t.ObjectiveHead, Json),
        Message = t.Message,
        CreatedAt = Time.ToDb(t.CreatedAt),
        FinishedAt = Time.ToDb(t.FinishedAt),
    };

    public TrialRun ToTrial() => new()
    {
        ExperimentId = ExperimentId,
        Index = (int)Idx,
        Name = Name,
        Assignments = JsonSerializer.Deserialize<List<ParameterAssignment>>(Assignments, Json) ?? [],
        JobId = JobId,
        State = Enum.Parse<TrialState>(State),
        Objective = Objective,
        Metrics = JsonSerializer.Deserialize<List<MetricSummary>>(Metrics, Json) ?? [],
        ObjectiveHead = JsonSerializer.Deserialize<List<double>>(ObjectiveHead, Json) ?? [],
        Message = Message,
        CreatedAt = Time.FromDb(CreatedAt),
        FinishedAt = Time.FromDb(FinishedAt),
    };
}
