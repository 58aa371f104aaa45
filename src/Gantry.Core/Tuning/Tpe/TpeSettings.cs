using System.Globalization;

namespace Gantry.Core.Tuning.Tpe;

/// <summary>
/// Optuna's TPE constants (tuning.md §1.1): 10 start-up trials, 24 candidates, gamma(n) =
/// min(ceil(0.1 n), 25), prior weight 1, magic clip on, endpoints off, neighbour bandwidths, and
/// pending and running trials as constant liars. Katib's <c>tpe</c> settings are honoured:
/// <c>gamma</c> replaces Optuna's 0.1 (the share of trials that are "good"), <c>prior_weight</c>,
/// <c>n_EI_candidates</c>; <c>multivariate-tpe</c> takes <c>n_startup_trials</c> and <c>n_ei_candidates</c>.
/// </summary>
public sealed record TpeSettings(bool Multivariate, int StartupTrials = 10, int EiCandidates = 24, double Gamma = 0.1, double PriorWeight = 1.0)
{
    /// <summary>Optuna caps the "good" group at 25 trials.</summary>
    public const int BelowCap = 25;

    /// <summary>Optuna's weights: newest 25 observations weigh 1, older ones ramp linearly down to 1/n.</summary>
    public const int FlatWeights = 25;

    public static TpeSettings From(AlgorithmSpec algorithm, bool multivariate) => new(
        multivariate,
        Int(algorithm.Setting("n_startup_trials"), 10),
        Int(algorithm.Setting(multivariate ? "n_ei_candidates" : "n_EI_candidates"), 24),
        multivariate ? 0.1 : Real(algorithm.Setting("gamma"), 0.1),
        multivariate ? 1.0 : Real(algorithm.Setting("prior_weight"), 1.0));

    public int Below(int n) => Math.Min((int)Math.Ceiling(Gamma * n), BelowCap);

    public static double[] Weights(int n)
    {
        var weights = new double[n];
        var ramp = Math.Max(0, n - FlatWeights);
        for (var i = 0; i < n; i++)
        {
            // np.linspace(1/n, 1, n - 25) for the oldest, then ones.
            weights[i] = i >= ramp ? 1.0 : ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        }
        return weights;
    }

    private static int Int(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    private static double Real(string? text, double fallback) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
