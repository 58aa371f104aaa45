using Gantry.Core.Tuning.Numerics;

namespace Gantry.Core.Tuning.Suggestions;

/// <summary>
/// Maps a number u in [0, 1) to a parameter's value under its prior, shared by random search,
/// Sobol and TPE's start-up: uniform over the range (each step value equally likely, hence the
/// half-step widening), uniform in log space for logUniform, and for normal / logNormal Katib's
/// hyperopt mapping (mean at the middle, sigma a sixth of the range) truncated to the range so
/// every value stays feasible. A list parameter gets the index floor(u × count).
/// </summary>
public static class PriorSampler
{
    public static double Map(Parameter parameter, double u)
    {
        if (!parameter.IsNumeric)
        {
            return Math.Min((int)(u * parameter.List.Count), parameter.List.Count - 1);
        }
        if (parameter.Max <= parameter.Min)
        {
            return parameter.Min;
        }
        var (low, high) = Bounds(parameter);
        var x = parameter.Distribution switch
        {
            Distribution.Normal or Distribution.LogNormal =>
                TruncatedNormal.Sample(u, (low + high) / 2, (high - low) / 6, low, high),
            _ => low + u * (high - low),
        };
        return parameter.Snap(parameter.IsLog ? Math.Exp(x) : x);
    }

    /// <summary>The range values are drawn from: in log space for log scales, widened by half a step so the end values are as likely as the rest.</summary>
    public static (double Low, double High) Bounds(Parameter parameter)
    {
        var half = parameter.GridStep is { } step ? step / 2 : 0;
        if (parameter.IsLog)
        {
            // A stepped log range widens in linear space, then moves to log space (ints: ln(low - 0.5)..ln(high + 0.5)).
            var low = Math.Max(parameter.Min - half, parameter.Min / 2);
            return (Math.Log(low), Math.Log(parameter.Max + half));
        }
        return (parameter.Min - half, parameter.Max + half);
    }
}
