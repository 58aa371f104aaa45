using Gantry.Core.Tuning.Numerics;
using Gantry.Core.Tuning.Suggestions;

namespace Gantry.Core.Tuning.Tpe;

/// <summary>
/// A numeric parameter's kernels (tuning.md §1.3): truncated normals in the transformed space
/// (ln for log scales, bounds widened by half a step), one per observation and the prior (the
/// middle, with the whole range as sigma). Bandwidth: the larger gap to a sorted neighbour, the
/// bounds counting as neighbours except that, with two or more observations, the outermost ones
/// use their inner gap only (consider_endpoints off); then the magic clip to
/// [range / min(100, n + 2), range]. A stepped linear parameter is discrete: its density is the
/// mass of the step around the value, and draws are rounded onto the steps.
/// </summary>
internal sealed class NumericKernels : IKernelDimension
{
    private readonly Parameter _parameter;
    private readonly double _low;
    private readonly double _high;
    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double? _step;

    public NumericKernels(Parameter parameter, IReadOnlyList<double> observations)
    {
        _parameter = parameter;
        (_low, _high) = PriorSampler.Bounds(parameter);
        _step = parameter.IsLog ? null : parameter.GridStep;
        var n = observations.Count;
        _mus = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            _mus[i] = Transform(observations[i]);
        }
        _mus[n] = (_low + _high) / 2;
        _sigmas = Bandwidths(_mus[..n], _low, _high);
    }

    public double Sample(int component, Random random)
    {
        if (_high <= _low)
        {
            return _parameter.Min;
        }
        var x = TruncatedNormal.Sample(random.NextDouble(), _mus[component], _sigmas[component], _low, _high);
        return _parameter.Snap(_parameter.IsLog ? Math.Exp(x) : x);
    }

    public double LogPdf(int component, double value)
    {
        if (_high <= _low)
        {
            return 0;
        }
        var x = Transform(value);
        return _step is { } step
            ? TruncatedNormal.LogIntervalMass(x - step / 2, x + step / 2, _mus[component], _sigmas[component], _low, _high)
            : TruncatedNormal.LogPdf(x, _mus[component], _sigmas[component], _low, _high);
    }

    private double Transform(double value) => _parameter.IsLog ? Math.Log(value) : value;

    /// <summary>Sigmas for the observations followed by the prior's.</summary>
    public static double[] Bandwidths(double[] mus, double low, double high)
    {
        var n = mus.Length;
        var range = high - low;
        var sigmas = new double[n + 1];
        sigmas[n] = range;
        if (n == 0)
        {
            return sigmas;
        }
        var order = Enumerable.Range(0, n).OrderBy(i => mus[i]).ThenBy(i => i).ToArray();
        for (var r = 0; r < n; r++)
        {
            var mu = mus[order[r]];
            var left = r > 0 ? mu - mus[order[r - 1]] : n == 1 ? mu - low : double.NegativeInfinity;
            var right = r < n - 1 ? mus[order[r + 1]] - mu : n == 1 ? high - mu : double.NegativeInfinity;
            sigmas[order[r]] = Math.Max(left, right);
        }
        var minSigma = range / Math.Min(100.0, n + 2.0);
        for (var i = 0; i < n; i++)
        {
            sigmas[i] = Math.Clamp(sigmas[i], minSigma, range);
        }
        return sigmas;
    }
}
