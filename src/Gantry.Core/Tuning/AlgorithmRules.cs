using Gantry.Core.Validation;

namespace Gantry.Core.Tuning;

/// <summary>
/// The settings each Katib algorithm accepts (unknown names are refused, as Katib's suggestion
/// services do) and the checks that need the search space too (grid steps and size, cmaes
/// dimensions, hyperband's resource). Gantry checks the settings of algorithms it does not run yet
/// as well, so "not supported yet" is only ever said of an otherwise valid experiment.
/// </summary>
internal static class AlgorithmRules
{
    private static readonly SettingRule RandomState = SettingRule.Int("random_state", 0);

    public static readonly IReadOnlyDictionary<string, SettingRule[]> Settings = new Dictionary<string, SettingRule[]>(StringComparer.Ordinal)
    {
        [AlgorithmNames.Random] = [RandomState],
        // Katib's hyperopt names; n_startup_trials is Gantry's addition (Optuna's name for the same idea).
        [AlgorithmNames.Tpe] = [SettingRule.Real("gamma", 0, 1), SettingRule.Real("prior_weight", 0), SettingRule.Int("n_EI_candidates", 1),
            SettingRule.Int("n_startup_trials", 0), RandomState],
        [AlgorithmNames.MultivariateTpe] = [SettingRule.Int("n_startup_trials", 0), SettingRule.Int("n_ei_candidates", 1), RandomState],
        [AlgorithmNames.Grid] = [RandomState],
        [AlgorithmNames.Sobol] = [RandomState],
        [AlgorithmNames.BayesianOptimization] = [SettingRule.OneOf("base_estimator", "GP", "RF", "ET", "GBRT"), SettingRule.Int("n_initial_points", 0),
            SettingRule.OneOf("acq_func", "gp_hedge", "LCB", "EI", "PI", "EIps", "PIps"), SettingRule.OneOf("acq_optimizer", "auto", "sampling", "lbfgs"), RandomState],
        [AlgorithmNames.Cmaes] = [RandomState, SettingRule.Real("sigma", 0), SettingRule.OneOf("restart_strategy", "none", "ipop", "bipop")],
        [AlgorithmNames.Hyperband] = [SettingRule.Text("resource_name"), SettingRule.Real("r_l", 0), SettingRule.Int("eta", 2)],
        [AlgorithmNames.Pbt] = [SettingRule.Text("suggestion_trial_dir"), SettingRule.Int("n_population", 5), SettingRule.Real("truncation_threshold", 0, 1),
            SettingRule.Real("resample_probability", 0, 1, lowInclusive: true, highInclusive: true)],
        [AlgorithmNames.Enas] = [],
        [AlgorithmNames.Darts] = [],
        [AlgorithmNames.MedianStop] = [SettingRule.Int("min_trials_required", 1), SettingRule.Int("start_step", 1)],
    };

    /// <summary>Settings an algorithm cannot do without.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Required = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [AlgorithmNames.Hyperband] = ["resource_name", "r_l"],
        [AlgorithmNames.Pbt] = ["suggestion_trial_dir", "n_population", "truncation_threshold"],
    };

    public static void CheckAgainstSpace(AlgorithmSpec algorithm, IReadOnlyList<Parameter> parameters, int? maxTrialCount, int parallel,
        ValidationErrors errors, string specPath, TuningLimits limits)
    {
        switch (algorithm.Name)
        {
            case AlgorithmNames.Grid:
                CheckGrid(parameters, maxTrialCount, errors, specPath, limits);
                break;
            case AlgorithmNames.Sobol when parameters.Count > Suggestions.SobolSequence.MaxDimensions:
                errors.Add($"{specPath}.parameters", $"sobol supports at most {Suggestions.SobolSequence.MaxDimensions} parameters, not {parameters.Count}");
                break;
            case AlgorithmNames.Cmaes when parameters.Count(p => p.IsNumeric) < 2:
                errors.Add($"{specPath}.parameters", "cmaes needs at least 2 double or int parameters");
                break;
            case AlgorithmNames.Hyperband:
                CheckHyperband(algorithm, parameters, parallel, errors, specPath);
                break;
        }
        // Katib's Optuna service refuses what Optuna has no distribution for (kubeflow/katib#2666).
        if (algorithm.Name is AlgorithmNames.Grid or AlgorithmNames.MultivariateTpe)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                if (parameters[i].Distribution is Distribution.Normal or Distribution.LogNormal)
                {
                    errors.Add($"{specPath}.parameters[{i}].feasibleSpace.distribution",
                        $"{algorithm.Name} takes only uniform or logUniform, not {ParameterReader.Text(parameters[i].Distribution)}");
                }
            }
        }
    }

    private static void CheckGrid(IReadOnlyList<Parameter> parameters, int? maxTrialCount, ValidationErrors errors, string specPath, TuningLimits limits)
    {
        var ok = true;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Type == ParameterType.Double && parameters[i].Step is null)
            {
                errors.Add($"{specPath}.parameters[{i}].feasibleSpace.step", "is required for a double parameter with the grid algorithm");
                ok = false;
            }
        }
        if (!ok)
        {
            return;
        }
        var size = Suggestions.GridPoints.CountOf(parameters, limits.MaxGridPoints);
        if (size > limits.MaxGridPoints)
        {
            errors.Add($"{specPath}.parameters", $"the grid has more than {limits.MaxGridPoints} points");
        }
        else if (maxTrialCount is { } max && max > size)
        {
            errors.Add($"{specPath}.maxTrialCount", $"must be at most the number of grid points ({size}), not {max}");
        }
    }

    private static void CheckHyperband(AlgorithmSpec algorithm, IReadOnlyList<Parameter> parameters, int parallel, ValidationErrors errors, string specPath)
    {
        var index = IndexOf(algorithm, "resource_name");
        if (algorithm.Setting("resource_name") is { } resource && parameters.All(p => p.Name != resource))
        {
            errors.Add($"{specPath}.algorithm.algorithmSettings[{index}].value", $"resource_name '{resource}' names no parameter");
        }
        if (!double.TryParse(algorithm.Setting("r_l"), System.Globalization.CultureInfo.InvariantCulture, out var rl) || rl <= 0)
        {
            return;
        }
        var eta = long.TryParse(algorithm.Setting("eta") ?? "3", System.Globalization.CultureInfo.InvariantCulture, out var e) && e >= 2 ? e : 3;
        var sMax = Math.Floor(Math.Log(rl) / Math.Log(eta) + 1e-12);
        var needed = (long)Math.Ceiling(Math.Pow(eta, sMax));
        if (parallel < needed)
        {
            errors.Add($"{specPath}.parallelTrialCount", $"hyperband with r_l {rl} and eta {eta} needs at least {needed} parallel trials, not {parallel}");
        }
    }

    private static int IndexOf(AlgorithmSpec algorithm, string name)
    {
        for (var i = 0; i < algorithm.Settings.Count; i++)
        {
            if (algorithm.Settings[i].Key == name)
            {
                return i;
            }
        }
        return -1;
    }
}
