using System.Globalization;

namespace Gantry.Core.Tuning;

/// <summary>
/// One searched parameter (<c>spec.parameters[]</c>). Numeric ones (double, int) have
/// <see cref="Min"/>, <see cref="Max"/> and maybe <see cref="Step"/>; discrete and categorical
/// ones have <see cref="List"/>. <see cref="Decimals"/> is how many decimals a stepped double's
/// values are written with, so 0.01 + 7 × 0.005 reads "0.045" rather than "0.045000000000000005".
/// </summary>
public sealed record Parameter(
    string Name,
    ParameterType Type,
    double Min,
    double Max,
    double? Step,
    IReadOnlyList<string> List,
    Distribution Distribution,
    int? Decimals)
{
    public bool IsNumeric => Type is ParameterType.Double or ParameterType.Int;

    public bool IsLog => Distribution is Distribution.LogUniform or Distribution.LogNormal;

    /// <summary>The spacing of the values this parameter can take: an int's step defaults to 1 (Katib), a double has one only when given.</summary>
    public double? GridStep => Type == ParameterType.Int ? Step ?? 1 : Step;

    public static Parameter Double(string name, double min, double max, double? step = null, Distribution distribution = Distribution.Uniform) =>
        new(name, ParameterType.Double, min, max, step, [], distribution, step is null ? null : DecimalsOf(min, step.Value));

    public static Parameter Int(string name, long min, long max, long? step = null, Distribution distribution = Distribution.Uniform) =>
        new(name, ParameterType.Int, min, max, step, [], distribution, 0);

    public static Parameter Categorical(string name, params string[] list) =>
        new(name, ParameterType.Categorical, 0, 0, null, list, Distribution.Uniform, null);

    public static Parameter Discrete(string name, params string[] list) =>
        new(name, ParameterType.Discrete, 0, 0, null, list, Distribution.Uniform, null);

    /// <summary>Clips <paramref name="value"/> to the bounds and, for stepped parameters, onto <c>min + k·step</c>.</summary>
    public double Snap(double value)
    {
        value = Math.Clamp(value, Min, Max);
        if (GridStep is { } step && step > 0)
        {
            var k = Math.Round((value - Min) / step, MidpointRounding.AwayFromZero);
            value = Min + k * step;
            // The last multiple may overshoot max by rounding error or when (max - min) is not a multiple of step.
            while (value > Max + step * 1e-9 && k > 0)
            {
                k--;
                value = Min + k * step;
            }
        }
        return Math.Clamp(value, Min, Max);
    }

    /// <summary>A numeric value as the trial sees it: ints without decimals, stepped doubles with the step's decimals.</summary>
    public string Format(double value)
    {
        if (Type == ParameterType.Int)
        {
            return ((long)Math.Round(value, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture);
        }
        if (Decimals is { } decimals)
        {
            value = Math.Round(value, Math.Min(decimals, 15), MidpointRounding.AwayFromZero);
        }
        return value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>How many decimals min and step are written with (exponents included): 0.01 and 0.005 give 3.</summary>
    public static int? DecimalsOf(double min, double step)
    {
        try
        {
            return Math.Max(new decimal(min).Scale, new decimal(step).Scale);
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
