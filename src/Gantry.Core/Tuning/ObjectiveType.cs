namespace Gantry.Core.Tuning;

/// <summary>Katib's <c>spec.objective.type</c>.</summary>
public enum ObjectiveType
{
    Minimize,
    Maximize,
}
