namespace Gantry.Server.Scheduling;

/// <summary>The answer to "why is my job where it is?".</summary>
public sealed record ExplainDto(
    string JobId,
    string State,
    string Summary,
    QueuePositionDto Queue,
    IReadOnlyList<ClusterVerdictDto> Clusters,
    DateTimeOffset? EvaluatedAt);

/// <summary>Where the job stands in its queue (position counts from 1; null once it left the queue).</summary>
public sealed record QueuePositionDto(string Name, int? Position, int Queued, Api.QueueUsageDto Usage, Api.QuotaDto Quota);

public sealed record ClusterVerdictDto(string Name, bool Fits, string Reason);
