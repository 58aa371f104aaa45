namespace Gantry.Core.Tuning;

/// <summary>One parameter's value in a trial, as text, the way Katib stores <c>parameterAssignments</c>.</summary>
public sealed record ParameterAssignment(string Name, string Value);
