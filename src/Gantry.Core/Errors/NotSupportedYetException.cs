namespace Gantry.Core.Errors;

/// <summary>
/// The input is valid for the system Gantry follows (a Katib algorithm such as
/// <c>bayesianoptimization</c>) but Gantry does not implement it yet. Distinct from
/// <see cref="ValidationException"/> so the caller can tell "fix your input" from "not here yet";
/// <see cref="Fields"/> names each unsupported field.
/// </summary>
public sealed class NotSupportedYetException(string message, IReadOnlyDictionary<string, string[]> fields)
    : GantryException(message)
{
    public IReadOnlyDictionary<string, string[]> Fields { get; } = fields;
}
