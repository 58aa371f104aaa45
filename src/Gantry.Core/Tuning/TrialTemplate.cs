using System.Text.Json.Nodes;

namespace Gantry.Core.Tuning;

/// <summary>
/// Katib's <c>spec.trialTemplate</c> with an inline <c>trialSpec</c> (a ConfigMap source is not
/// supported yet). <see cref="TrialSpec"/> is a private copy; render trials with
/// <see cref="TrialManifestRenderer"/>, which never changes it.
/// </summary>
public sealed record TrialTemplate(
    JsonObject TrialSpec,
    string PrimaryContainerName,
    IReadOnlyList<TrialParameter> TrialParameters,
    string? SuccessCondition,
    string? FailureCondition,
    bool Retain)
{
    public string Kind => (string?)TrialSpec["kind"] ?? "";

    public string? ApiVersion => (string?)TrialSpec["apiVersion"];
}
