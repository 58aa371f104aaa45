using System.Text.Json.Nodes;
using Gantry.Core.Errors;
using Gantry.Core.Tests.Support;
using Gantry.Core.Tuning;
using static Gantry.Core.Tests.Support.Manifests;

namespace Gantry.Core.Tests.Tuning;

public class ExperimentReaderTests
{
    public static TheoryData<string> Examples() => ExampleManifests.Files(KatibExperiments.Operator);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_Katib_example_is_accepted_or_refused_as_not_supported_yet(string file)
    {
        var check = ExperimentReader.Check(KatibExperiments.Load(file));

        // Katib's own pbt example sets maxFailedTrialCount 3 above maxTrialCount 2, which katib.md's
        // validation rule refuses; it is unsupported anyway, and that is what the caller hears first.
        var known = file == "hp-tuning_simple-pbt.yaml" ? new[] { "manifest.spec.maxFailedTrialCount" } : [];
        Assert.True(check.Errors.ToDictionary().Keys.SequenceEqual(known), $"{file}: " + string.Join("; ", check.Errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" | ", e.Value)}")));
        if (KatibExperiments.NotSupported.TryGetValue(file, out var algorithm))
        {
            var ex = Assert.Throws<NotSupportedYetException>(check.Get);
            var messages = Assert.Single(ex.Fields, f => f.Key == "manifest.spec.algorithm.algorithmName").Value;
            Assert.Contains(messages, m => m.Contains($"{algorithm} algorithm is not supported yet", StringComparison.Ordinal));
        }
        else
        {
            Assert.True(check.IsValid, file);
            Assert.NotEmpty(check.Get().Parameters);
        }
    }

    [Fact]
    public void The_examples_cover_every_supported_algorithm()
    {
        var algorithms = ExampleManifests.FileNames(KatibExperiments.Operator)
            .Where(f => !KatibExperiments.NotSupported.ContainsKey(f))
            .Select(f => KatibExperiments.Read(f).Algorithm.Name).ToHashSet();

        Assert.Superset(algorithms, AlgorithmNames.Supported.ToHashSet());
    }

    [Fact]
    public void Defaults_follow_Katib_strategies_parallelism_collector_and_Job_conditions()
    {
        var experiment = KatibExperiments.Read("hp-tuning_random.yaml");

        Assert.Equal(MetricStrategy.Min, experiment.Objective.StrategyOf(experiment.Objective.MetricName));
        Assert.Equal(3, experiment.ParallelTrialCount);
        Assert.Equal(CollectorKind.StdOut, experiment.MetricsCollector.Kind);
        Assert.Equal("""status.conditions.#(type=="Complete")#|#(status=="True")#""", experiment.TrialTemplate.SuccessCondition);
        var strategy = KatibExperiments.Read("metrics-collector_metrics-collection-strategy.yaml").Objective;
        Assert.Equal(MetricStrategy.Min, strategy.StrategyOf("loss"));
        Assert.Equal(MetricStrategy.Max, strategy.StrategyOf("accuracy"));
    }

    [Fact]
    public void The_grid_example_reads_steps_and_the_median_stop_example_its_settings()
    {
        var grid = KatibExperiments.Read("hp-tuning_grid.yaml");
        Assert.Equal([0.005, 0.1], grid.Parameters.Select(p => p.Step!.Value));
        var stop = KatibExperiments.Read("early-stopping_median-stop.yaml").EarlyStopping;
        Assert.Equal(new Gantry.Core.Tuning.EarlyStopping.MedianStopSettings(1, 2), stop);
    }

    [Theory]
    [InlineData("spec/objective/type", "\"best\"", "manifest.spec.objective.type", "must be minimize or maximize")]
    [InlineData("spec/algorithm/algorithmName", "\"annealing\"", "manifest.spec.algorithm.algorithmName", "not a Katib algorithm")]
    [InlineData("spec/parallelTrialCount", "7", "manifest.spec.parallelTrialCount", "at most maxTrialCount (6)")]
    [InlineData("spec/maxFailedTrialCount", "-1", "manifest.spec.maxFailedTrialCount", "at least 0")]
    [InlineData("spec/resumePolicy", "\"Sometimes\"", "manifest.spec.resumePolicy", "Never, LongRunning or FromVolume")]
    [InlineData("metadata/name", "\"Has_Capitals\"", "manifest.metadata.name", "lower-case")]
    [InlineData("spec/objective/goal", "\"high\"", "manifest.spec.objective.goal", "must be a number")]
    [InlineData("spec/objective/additionalMetricNames", "[\"loss\"]", "manifest.spec.objective.additionalMetricNames[0]", "must not repeat the objective")]
    [InlineData("spec/objective/metricStrategies", "[{\"name\": \"acc\", \"value\": \"max\"}]", "manifest.spec.objective.metricStrategies[0].name", "neither the objective")]
    [InlineData("spec/earlyStopping", "{\"algorithmName\": \"medianstop\", \"algorithmSettings\": [{\"name\": \"start_step\", \"value\": \"0\"}]}",
        "manifest.spec.earlyStopping.algorithmSettings[0].value", "start_step must be a whole number of at least 1")]
    [InlineData("spec/metricsCollectorSpec", "{\"collector\": {\"kind\": \"Sidecar\"}}", "manifest.spec.metricsCollectorSpec.collector.kind", "must be one of")]
    [InlineData("spec/metricsCollectorSpec", "{\"collector\": {\"kind\": \"StdOut\"}, \"source\": {\"filter\": {\"metricsFormat\": [\"(\\\\w+)=\"]}}}",
        "manifest.spec.metricsCollectorSpec.source.filter.metricsFormat[0]", "group 2")]
    [InlineData("spec/trialTemplate/trialSpec/metadata", "{\"name\": \"fixed\"}", "manifest.spec.trialTemplate.trialSpec.metadata.name", "must not be set")]
    public void A_bad_field_is_named_with_the_reason(string path, string json, string field, string fragment)
    {
        var manifest = KatibExperiments.Small().Set(path, JsonNode.Parse(json));

        AssertError(ExperimentReader.Check(manifest).Errors.ToDictionary(), field, fragment);
    }

    [Fact]
    public void Parameter_rules_name_each_feasible_space_field()
    {
        var manifest = KatibExperiments.Small();
        var parameters = (JsonArray)manifest["spec"]!["parameters"]!;
        parameters[0]!["feasibleSpace"]!["min"] = "0";
        parameters[1]!["feasibleSpace"]!["list"] = new JsonArray("1");
        parameters[2]!["feasibleSpace"]!["max"] = "3";
        parameters.Add(JsonNode.Parse("""{"name": "lr", "parameterType": "double", "feasibleSpace": {"min": "2", "max": "1"}}"""));
        parameters.Add(JsonNode.Parse("""{"name": "k", "parameterType": "int", "feasibleSpace": {"min": "1.5", "max": "3"}}"""));

        var errors = ExperimentReader.Check(manifest).Errors.ToDictionary();

        AssertError(errors, "manifest.spec.parameters[0].feasibleSpace.min", "greater than 0 for the logUniform distribution");
        AssertError(errors, "manifest.spec.parameters[1].feasibleSpace.list", "must not be set for a int parameter");
        AssertError(errors, "manifest.spec.parameters[2].feasibleSpace.max", "must not be set for a categorical parameter");
        AssertError(errors, "manifest.spec.parameters[3].feasibleSpace.max", "must be at least min (2)");
        AssertError(errors, "manifest.spec.parameters[4].feasibleSpace.min", "whole number");
    }

    [Fact]
    public void Grid_needs_a_step_on_doubles_and_no_more_trials_than_points()
    {
        var manifest = KatibExperiments.Small("grid");
        var errors = ExperimentReader.Check(manifest).Errors.ToDictionary();
        AssertError(errors, "manifest.spec.parameters[0].feasibleSpace.step", "required for a double parameter with the grid algorithm");

        manifest["spec"]!["parameters"]![0]!["feasibleSpace"] = JsonNode.Parse("""{"min": "0.1", "max": "0.2", "step": "0.1"}""");
        manifest["spec"]!["maxTrialCount"] = 25;
        // 2 × 4 × 2 = 16 points.
        AssertError(ExperimentReader.Check(manifest).Errors.ToDictionary(), "manifest.spec.maxTrialCount", "number of grid points (16)");
    }

    [Theory]
    [InlineData("tpe", "gamma", "1.5", "gamma must be a number > 0 and < 1")]
    [InlineData("tpe", "n_ei_candidates", "10", "not a setting of tpe")]
    [InlineData("multivariate-tpe", "n_startup_trials", "-1", "at least 0")]
    [InlineData("random", "random_state", "seven", "whole number")]
    public void Algorithm_settings_are_checked_per_algorithm(string algorithm, string name, string value, string fragment)
    {
        var manifest = KatibExperiments.Small(algorithm);
        manifest["spec"]!["algorithm"]!["algorithmSettings"] = new JsonArray(new JsonObject { ["name"] = name, ["value"] = value });

        var errors = ExperimentReader.Check(manifest).Errors.ToDictionary();

        Assert.Contains(errors, e => e.Key.StartsWith("manifest.spec.algorithm.algorithmSettings[0]", StringComparison.Ordinal)
            && e.Value.Any(m => m.Contains(fragment, StringComparison.Ordinal)));
    }

    [Fact]
    public void Trial_parameters_must_reference_parameters_and_be_used_and_placeholders_must_be_defined()
    {
        var manifest = KatibExperiments.Small();
        var trialParameters = (JsonArray)manifest["spec"]!["trialTemplate"]!["trialParameters"]!;
        trialParameters[0]!["reference"] = "learning_rate";
        trialParameters.Add(JsonNode.Parse("""{"name": "unused", "reference": "${trialSpec.Name}"}"""));
        trialParameters.Add(JsonNode.Parse("""{"name": "team", "reference": "${trialSpec.Labels[team]}"}"""));
        ((JsonArray)manifest["spec"]!["trialTemplate"]!["trialSpec"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["command"]!).Add("--x=${trialParameters.ghost}");

        var errors = ExperimentReader.Check(manifest).Errors.ToDictionary();

        AssertError(errors, "manifest.spec.trialTemplate.trialParameters[0].reference", "names no parameter");
        AssertError(errors, "manifest.spec.trialTemplate.trialParameters[4].reference", "no label 'team'");
    }

    [Fact]
    public void Unused_trial_parameters_and_undefined_placeholders_are_refused()
    {
        var manifest = KatibExperiments.Small();
        ((JsonArray)manifest["spec"]!["trialTemplate"]!["trialParameters"]!).Add(JsonNode.Parse("""{"name": "unused", "reference": "${trialSpec.Name}"}"""));
        ((JsonArray)manifest["spec"]!["trialTemplate"]!["trialSpec"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["command"]!).Add("--x=${trialParameters.ghost}");

        var errors = ExperimentReader.Check(manifest).Errors.ToDictionary();

        AssertError(errors, "manifest.spec.trialTemplate.trialParameters", "'unused' is never used");
        AssertError(errors, "manifest.spec.trialTemplate.trialSpec", "${trialParameters.ghost}");
    }

    [Fact]
    public void A_kind_without_Katib_defaults_needs_both_conditions_but_a_Command_needs_none()
    {
        var manifest = KatibExperiments.Small();
        manifest["spec"]!["trialTemplate"]!["trialSpec"]!["apiVersion"] = "sparkoperator.k8s.io/v1beta2";
        manifest["spec"]!["trialTemplate"]!["trialSpec"]!["kind"] = "SparkApplication";
        var errors = ExperimentReader.Check(manifest).Errors.ToDictionary();
        AssertError(errors, "manifest.spec.trialTemplate.successCondition", "required for a SparkApplication trial");
        AssertError(errors, "manifest.spec.trialTemplate.failureCondition", "required for a SparkApplication trial");

        var command = KatibExperiments.Small();
        command["spec"]!["trialTemplate"]!["trialSpec"] = JsonNode.Parse("""
            {"kind": "Command", "spec": {"command": ["python3", "f.py", "${trialParameters.learningRate}", "${trialParameters.numLayers}", "${trialParameters.optimizer}"]}}
            """);
        Assert.True(ExperimentReader.Check(command).IsValid);
    }

    [Fact]
    public void Nas_and_ConfigMap_templates_are_not_supported_yet_rather_than_invalid()
    {
        var manifest = KatibExperiments.Small();
        manifest["spec"]!["trialTemplate"] = JsonNode.Parse("""
            {"primaryContainerName": "main", "configMap": {"configMapName": "t", "configMapNamespace": "team-a", "templatePath": "job.yaml"}}
            """);

        var check = ExperimentReader.Check(manifest);

        Assert.True(check.Errors.IsEmpty);
        var ex = Assert.Throws<NotSupportedYetException>(check.Get);
        Assert.Contains("manifest.spec.trialTemplate.configMap", ex.Fields.Keys);
    }
}
