using System.Text.Json.Nodes;
using Gantry.Core.Experiments;
using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Observations;
using Gantry.Core.Tuning.Progress;

namespace Gantry.Server.Api;

/// <summary>An experiment as the API shows it (docs/experiments.md, "The API"): Katib's state names, counts and currentOptimalTrial.</summary>
public sealed record ExperimentDto(
    string Id,
    string Name,
    string Owner,
    string Queue,
    int Priority,
    IReadOnlyDictionary<string, string> Labels,
    ExperimentConditionType State,
    string Reason,
    string Message,
    ObjectiveDto Objective,
    string Algorithm,
    IReadOnlyList<ParameterDto> Parameters,
    int ParallelTrialCount,
    int? MaxTrialCount,
    int? MaxFailedTrialCount,
    string? EarlyStopping,
    TrialCountsDto Trials,
    OptimalTrialDto? CurrentOptimalTrial,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    JsonNode? Manifest)
{
    public static ExperimentDto From(ExperimentRun run, bool withManifest = false)
    {
        var spec = Experiments.ExperimentSubmitter.Read(run);
        var counts = run.Summary.Counts;
        return new ExperimentDto(
            run.Id, run.Name, run.Owner, run.Queue, run.Priority, run.Labels, run.State, run.Reason, run.Message,
            new ObjectiveDto(spec.Objective.Type == ObjectiveType.Minimize ? "minimize" : "maximize", spec.Objective.MetricName, spec.Objective.Goal, spec.Objective.AdditionalMetricNames),
            spec.Algorithm.Name,
            spec.Parameters.Select(ParameterDto.From).ToList(),
            spec.ParallelTrialCount, spec.MaxTrialCount, spec.MaxFailedTrialCount,
            spec.EarlyStopping is null ? null : "medianstop",
            new TrialCountsDto(counts.Total, counts.Created, counts.Running, counts.Succeeded, counts.Failed, counts.Killed, counts.EarlyStopped, counts.MetricsUnavailable),
            run.Summary.Best is { } best
                ? new OptimalTrialDto(best.Name, best.Assignments, new TrialObservationDto(best.Metrics))
                : null,
            run.CreatedAt, run.StartedAt, run.FinishedAt,
            withManifest ? JsonNode.Parse(run.Manifest) : null);
    }
}

public sealed record ObjectiveDto(string Type, string MetricName, double? Goal, IReadOnlyList<string> AdditionalMetricNames);

/// <summary>A searched parameter; bounds and steps as strings, as Katib writes them.</summary>
public sealed record ParameterDto(string Name, string Type, string? Min, string? Max, string? Step, IReadOnlyList<string>? List, string Distribution)
{
    public static ParameterDto From(Parameter p) => new(
        p.Name,
        p.Type switch { ParameterType.Double => "double", ParameterType.Int => "int", ParameterType.Categorical => "categorical", _ => "discrete" },
        p.IsNumeric ? p.Format(p.Min) : null,
        p.IsNumeric ? p.Format(p.Max) : null,
        p.Step is { } step ? step.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : null,
        p.IsNumeric ? null : p.List,
        char.ToLowerInvariant(p.Distribution.ToString()[0]) + p.Distribution.ToString()[1..]);
}

public sealed record TrialCountsDto(int Total, int Created, int Running, int Succeeded, int Failed, int Killed, int EarlyStopped, int MetricsUnavailable);

public sealed record OptimalTrialDto(string BestTrialName, IReadOnlyList<ParameterAssignment> ParameterAssignments, TrialObservationDto Observation);

/// <summary>Katib's observation: each metric's min, max and latest.</summary>
public sealed record TrialObservationDto(IReadOnlyList<MetricSummary> Metrics);

/// <summary>A page of experiments; pass <see cref="NextCursor"/> back as <c>cursor</c> for the next page.</summary>
public sealed record ExperimentListDto(IReadOnlyList<ExperimentDto> Items, string? NextCursor);
