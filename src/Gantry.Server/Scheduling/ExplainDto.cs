namespace Gantry.Server.Scheduling;

/// <summary>The answer to "why is my job where it is?".</summary>
public sealed record ExplainDto(
    string JobId,
    string State,
    string Summary,
    QueuePositionDto Queue,
    IReadOnlyList<ClusterVerdictDto> Clusters,
    DateTimeOffset? EvaluatedAt)
{
    /// <summary>For a queued job, why it waits as a code (QuotaExceeded, Insufficient, Cordoned...).</summary>
    public string? Code { get; init; }

    /// <summary>For a job placed on a cluster but not running: the operator's message and why its pods wait, in the cluster's words.</summary>
    public IReadOnlyList<string> ClusterSays { get; init; } = [];

    /// <summary>Clusters that cannot run the job whatever is free there, each as "cluster: why" (local, when its command is not on the gateway's machine).</summary>
    public IReadOnlyList<string> NotEligible { get; init; } = [];
}

/// <summary>Where the job stands in its queue (position counts from 1; null once it left the queue).</summary>
public sealed record QueuePositionDto(string Name, int? Position, int Queued, Api.QueueUsageDto Usage, Api.QuotaDto Quota);

/// <summary>One cluster's answer for the job; <paramref name="Code"/> is null when it fits.</summary>
public sealed record ClusterVerdictDto(string Name, bool Fits, string? Code, string Reason, Api.ResourcesDto Needed, Api.ResourcesDto Free)
{
    public static ClusterVerdictDto From(Core.Scheduling.ClusterVerdict verdict) => new(
        verdict.Cluster, verdict.Fits, verdict.Code?.ToString(), verdict.Reason,
        Api.ResourcesDto.From(verdict.Needed), Api.ResourcesDto.From(verdict.Free));
}
