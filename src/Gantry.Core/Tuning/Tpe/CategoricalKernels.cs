namespace Gantry.Core.Tuning.Tpe;

/// <summary>
/// A list parameter's kernels (tuning.md §1.3): with K = n + 1 components, observation i's row puts
/// prior_weight / K on every choice and 1 more on its own, normalised; the prior's row is uniform.
/// </summary>
internal sealed class CategoricalKernels : IKernelDimension
{
    private readonly double[][] _logProbabilities;
    private readonly double[][] _cumulative;

    public CategoricalKernels(int choices, IReadOnlyList<double> observations, double priorWeight)
    {
        var n = observations.Count;
        var k = n + 1;
        _logProbabilities = new double[k][];
        _cumulative = new double[k][];
        for (var row = 0; row < k; row++)
        {
            var weights = new double[choices];
            Array.Fill(weights, priorWeight / k);
            if (row < n)
            {
                weights[(int)observations[row]] += 1;
            }
            var total = weights.Sum();
            _logProbabilities[row] = [.. weights.Select(w => Math.Log(w / total))];
            var cumulative = new double[choices];
            var sum = 0.0;
            for (var c = 0; c < choices; c++)
            {
                sum += weights[c] / total;
                cumulative[c] = sum;
            }
            _cumulative[row] = cumulative;
        }
    }

    public double Sample(int component, Random random)
    {
        var u = random.NextDouble();
        var cumulative = _cumulative[component];
        for (var c = 0; c < cumulative.Length - 1; c++)
        {
            if (u < cumulative[c])
            {
                return c;
            }
        }
        return cumulative.Length - 1;
    }

    public double LogPdf(int component, double value) => _logProbabilities[component][(int)value];
}
