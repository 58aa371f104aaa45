using Gantry.Core.Jobs;

namespace Gantry.Storage.Sql;

/// <summary>A row of <c>jobs</c> as Dapper reads and writes it.</summary>
internal sealed class JobRow
{
    public const string InsertColumns =
        "id, name, kind, queue, owner, priority, labels, manifest, demand, state, cluster, message, attempts, " +
        "max_attempts, created_at, started_at, finished_at, updated_at, spark_ui_url, backend_state, version";

    public const string Columns = "seq, " + InsertColumns;

    public long Seq { get; set; }
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Queue { get; set; } = "";
    public string Owner { get; set; } = "";
    public long Priority { get; set; }
    public string Labels { get; set; } = "{}";
    public string Manifest { get; set; } = "{}";
    public string Demand { get; set; } = "[]";
    public string State { get; set; } = "";
    public string? Cluster { get; set; }
    public string Message { get; set; } = "";
    public long Attempts { get; set; }
    public long MaxAttempts { get; set; }
    public long CreatedAt { get; set; }
    public long? StartedAt { get; set; }
    public long? FinishedAt { get; set; }
    public long UpdatedAt { get; set; }
    public string? SparkUiUrl { get; set; }
    public string? BackendState { get; set; }
    public long Version { get; set; }

    public static JobRow From(Job job) => new()
    {
        Seq = job.Seq,
        Id = job.Id,
        Name = job.Name,
        Kind = job.Kind,
        Queue = job.Queue,
        Owner = job.Owner,
        Priority = job.Priority,
        Labels = JsonColumns.Labels(job.Labels),
        Manifest = job.Manifest,
        Demand = JsonColumns.Demand(job.Demand),
        State = job.State.ToString(),
        Cluster = job.Cluster,
        Message = job.Message,
        Attempts = job.Attempts,
        MaxAttempts = job.MaxAttempts,
        CreatedAt = Time.ToDb(job.CreatedAt),
        StartedAt = Time.ToDb(job.StartedAt),
        FinishedAt = Time.ToDb(job.FinishedAt),
        UpdatedAt = Time.ToDb(job.UpdatedAt),
        SparkUiUrl = job.SparkUiUrl,
        BackendState = job.BackendState,
        Version = job.Version,
    };

    public Job ToJob() => new()
    {
        Seq = Seq,
        Id = Id,
        Name = Name,
        Kind = Kind,
        Queue = Queue,
        Owner = Owner,
        Priority = (int)Priority,
        Labels = JsonColumns.Labels(Labels),
        Manifest = Manifest,
        Demand = JsonColumns.Demand(Demand),
        State = Enum.Parse<JobState>(State),
        Cluster = Cluster,
        Message = Message,
        Attempts = (int)Attempts,
        MaxAttempts = (int)MaxAttempts,
        CreatedAt = Time.FromDb(CreatedAt),
        StartedAt = Time.FromDb(StartedAt),
        FinishedAt = Time.FromDb(FinishedAt),
        UpdatedAt = Time.FromDb(UpdatedAt),
        SparkUiUrl = SparkUiUrl,
        BackendState = BackendState,
        Version = Version,
    };
}
