using System.Text.Json.Nodes;
using Gantry.Backends.Kubernetes;
using Gantry.Core.Jobs;
using Gantry.Server.SparkUi;

namespace Gantry.Server.Api;

/// <summary>
/// A job as the API contract shows it. <c>sparkUiUrl</c> is the gateway's path to the job's UI
/// (relative, so it holds under whatever address the caller used), never the backend's own URL:
/// that one is a cluster's internal service proxy or a loopback port, of no use to a caller.
/// <c>resource</c> is the Kubernetes custom resource the job is (null until it is created, and for
/// jobs that run elsewhere).
/// </summary>
public sealed record JobDto(
    string Id,
    string Name,
    string Kind,
    string Queue,
    string Owner,
    int Priority,
    IReadOnlyDictionary<string, string> Labels,
    string State,
    string? Cluster,
    string Message,
    int Attempts,
    int MaxAttempts,
    DemandDto Demand,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset UpdatedAt,
    string? SparkUiUrl,
    JsonNode? Manifest,
    JobResourceDto? Resource)
{
    public static JobDto From(Job job, bool withManifest = false) => new(
        job.Id,
        job.Name,
        job.Kind,
        job.Queue,
        job.Owner,
        job.Priority,
        job.Labels,
        job.State.ToString(),
        job.Cluster,
        job.Message,
        job.Attempts,
        job.MaxAttempts,
        DemandDto.From(job.Demand),
        job.CreatedAt,
        job.StartedAt,
        job.FinishedAt,
        job.UpdatedAt,
        job.SparkUiUrl is null ? null : SparkUiPaths.ProxyBase(job.Id) + "/",
        withManifest ? JsonNode.Parse(job.Manifest) : null,
        JobResourceDto.From(CustomResourceReference.Of(job)));
}
