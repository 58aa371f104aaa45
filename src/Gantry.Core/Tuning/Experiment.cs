using Gantry.Core.Tuning.EarlyStopping;

namespace Gantry.Core.Tuning;

/// <summary>
/// A Katib <c>Experiment</c> (<c>kubeflow.org/v1beta1</c>) after validation and Katib's defaulting,
/// read by <see cref="ExperimentReader"/>. Immutable: a change of budget is a new record.
/// </summary>
public sealed record Experiment(
    string? Name,
    string? Namespace,
    Objective Objective,
    AlgorithmSpec Algorithm,
    MedianStopSettings? EarlyStopping,
    IReadOnlyList<Parameter> Parameters,
    TrialTemplate TrialTemplate,
    MetricsCollector MetricsCollector,
    int ParallelTrialCount,
    int? MaxTrialCount,
    int? MaxFailedTrialCount,
    ResumePolicy ResumePolicy)
{
    public const string ApiVersion = "kubeflow.org/v1beta1";
    public const string KindName = "Experiment";

    /// <summary>Katib's default <c>parallelTrialCount</c>.</summary>
    public const int DefaultParallelTrialCount = 3;

    public SearchSpace SearchSpace => new(Parameters);
}
