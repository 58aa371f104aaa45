namespace Gantry.Core.Tuning;

/// <summary>
/// Bounds on what one experiment may ask for, so the cost of validating it and of each
/// suggestion stays the gateway's to choose. Sobol's limit is the dimensions it has direction numbers for.
/// </summary>
public sealed record TuningLimits(int MaxParameters = 64, int MaxListValues = 1_000, int MaxTrialParameters = 128, int MaxMetricNames = 32, int MaxGridPoints = 1_000_000)
{
    public static readonly TuningLimits Default = new();
}
