namespace Gantry.Core.Tuning;

/// <summary>Katib's <c>parameters[].parameterType</c>.</summary>
public enum ParameterType
{
    Double,
    Int,
    Discrete,
    Categorical,
}
