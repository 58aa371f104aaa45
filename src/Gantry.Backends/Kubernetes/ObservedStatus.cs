using Gantry.Core.Jobs;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// What an operator's status says, in Gantry's terms: the state, the operator's own message as
/// the reason, its raw state (SparkApplication state, training condition) and, for Spark, the
/// UI's address while the driver runs.
/// </summary>
internal sealed record ObservedStatus(JobState State, string Reason, string RawState, string? SparkUiUrl = null);
