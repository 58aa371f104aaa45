namespace Gantry.Core.Tuning;

/// <summary>Katib's algorithm names: the ones Gantry implements and the ones it accepts as Katib's but does not run yet.</summary>
public static class AlgorithmNames
{
    public const string Random = "random";
    public const string Grid = "grid";
    public const string Tpe = "tpe";
    public const string MultivariateTpe = "multivariate-tpe";
    public const string Sobol = "sobol";
    public const string BayesianOptimization = "bayesianoptimization";
    public const string Cmaes = "cmaes";
    public const string Hyperband = "hyperband";
    public const string Pbt = "pbt";
    public const string Enas = "enas";
    public const string Darts = "darts";
    public const string MedianStop = "medianstop";

    public static readonly IReadOnlyList<string> Supported = [Random, Grid, Tpe, MultivariateTpe, Sobol];

    public static readonly IReadOnlyList<string> NotSupportedYet = [BayesianOptimization, Cmaes, Hyperband, Pbt, Enas, Darts];
}
