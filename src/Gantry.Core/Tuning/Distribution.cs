namespace Gantry.Core.Tuning;

/// <summary>Katib's <c>feasibleSpace.distribution</c> (uniform when absent).</summary>
public enum Distribution
{
    Uniform,
    LogUniform,
    Normal,
    LogNormal,
}
