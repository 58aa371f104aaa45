namespace Gantry.Core.Tuning.Tpe;

/// <summary>
/// A mixture over some of the space's parameters: one component per observation (weighted by
/// Optuna's weights in creation order) and the prior (weighted prior_weight). Multivariate TPE
/// builds one over every parameter, so a draw takes all coordinates from the same component
/// (product kernels); independent TPE builds one per parameter.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly int[] _dimensions;
    private readonly IKernelDimension[] _kernels;
    private readonly double[] _logWeights;
    private readonly double[] _cumulativeWeights;

    public ParzenEstimator(SearchSpace space, int[] dimensions, IReadOnlyList<double[]> observations, TpeSettings settings)
    {
        _dimensions = dimensions;
        _kernels = new IKernelDimension[dimensions.Length];
        for (var j = 0; j < dimensions.Length; j++)
        {
            var parameter = space.Parameters[dimensions[j]];
            var values = observations.Select(o => o[dimensions[j]]).ToList();
            _kernels[j] = parameter.IsNumeric
                ? new NumericKernels(parameter, values, scaleByBandwidth: !settings.Multivariate)
                : new CategoricalKernels(parameter.List.Count, values, settings.PriorWeight);
        }
        var weights = TpeSettings.Weights(observations.Count).Append(settings.PriorWeight).ToArray();
        var total = weights.Sum();
        _logWeights = [.. weights.Select(w => Math.Log(w / total))];
        _cumulativeWeights = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i] / total;
            _cumulativeWeights[i] = sum;
        }
    }

    /// <summary>A draw into <paramref name="point"/>'s coordinates of this estimator's dimensions.</summary>
    public void Sample(Random random, double[] point)
    {
        var u = random.NextDouble();
        var component = Array.FindIndex(_cumulativeWeights, c => u < c);
        if (component < 0)
        {
            component = _cumulativeWeights.Length - 1;
        }
        for (var j = 0; j < _dimensions.Length; j++)
        {
            point[_dimensions[j]] = _kernels[j].Sample(component, random);
        }
    }

    /// <summary>ln of the mixture's density at <paramref name="point"/> (log-sum-exp over components; for independent TPE continuous kernels are scaled by their bandwidth, see NumericKernels).</summary>
    public double LogDensity(double[] point)
    {
        var max = double.NegativeInfinity;
        var terms = new double[_logWeights.Length];
        for (var k = 0; k < terms.Length; k++)
        {
            var term = _logWeights[k];
            for (var j = 0; j < _dimensions.Length && !double.IsNegativeInfinity(term); j++)
            {
                term += _kernels[j].LogPdf(k, point[_dimensions[j]]);
            }
            terms[k] = term;
            max = Math.Max(max, term);
        }
        if (double.IsNegativeInfinity(max))
        {
            return max;
        }
        var sum = 0.0;
        foreach (var term in terms)
        {
            sum += Math.Exp(term - max);
        }
        return max + Math.Log(sum);
    }
}
