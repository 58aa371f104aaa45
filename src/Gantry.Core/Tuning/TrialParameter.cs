namespace Gantry.Core.Tuning;

/// <summary>
/// One <c>trialTemplate.trialParameters[]</c> entry: <c>${trialParameters.Name}</c> in the template
/// becomes the value of <see cref="Reference"/>, a parameter's name or a <c>${trialSpec.X}</c> meta reference.
/// </summary>
public sealed record TrialParameter(string Name, string Reference, string? Description);
