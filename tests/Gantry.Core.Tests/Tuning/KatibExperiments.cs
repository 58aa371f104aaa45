using System.Text.Json.Nodes;
using Gantry.Core.Tests.Support;
using Gantry.Core.Tuning;
using static Gantry.Core.Tests.Support.Manifests;

namespace Gantry.Core.Tests.Tuning;

/// <summary>Katib's example Experiments from shared/examples/katib and small hand-made ones.</summary>
internal static class KatibExperiments
{
    public const string Operator = "katib";

    /// <summary>The examples whose algorithm Gantry does not run yet (all otherwise valid for Katib).</summary>
    public static readonly IReadOnlyDictionary<string, string> NotSupported = new Dictionary<string, string>
    {
        ["hp-tuning_bayesian-optimization.yaml"] = "bayesianoptimization",
        ["hp-tuning_cma-es.yaml"] = "cmaes",
        ["hp-tuning_hyperband.yaml"] = "hyperband",
        ["hp-tuning_simple-pbt.yaml"] = "pbt",
    };

    public static JsonObject Load(string file) => Assert.Single(ExampleManifests.Load(Operator, file, "Experiment"));

    public static Experiment Read(string file) => ExperimentReader.Read(Load(file));

    /// <summary>A small valid experiment to bend in tests: one double, one int, one categorical, a Job trial.</summary>
    public static JsonObject Small(string algorithm = "random") => FromYaml($$$"""
        apiVersion: kubeflow.org/v1beta1
        kind: Experiment
        metadata: {name: small, namespace: team-a}
        spec:
          objective: {type: minimize, objectiveMetricName: loss, goal: 0.01}
          algorithm: {algorithmName: {{{algorithm}}}}
          parallelTrialCount: 2
          maxTrialCount: 6
          maxFailedTrialCount: 2
          parameters:
          - {name: lr, parameterType: double, feasibleSpace: {min: "0.001", max: "0.1", distribution: logUniform}}
          - {name: layers, parameterType: int, feasibleSpace: {min: "2", max: "8", step: "2"}}
          - {name: opt, parameterType: categorical, feasibleSpace: {list: [sgd, adam]}}
          trialTemplate:
            primaryContainerName: main
            trialParameters:
            - {name: learningRate, reference: lr}
            - {name: numLayers, reference: layers}
            - {name: optimizer, reference: opt}
            trialSpec:
              apiVersion: batch/v1
              kind: Job
              spec:
                template:
                  spec:
                    restartPolicy: Never
                    containers:
                    - name: main
                      image: registry.example.com/train:1
                      command: [python3, train.py, "--lr=${trialParameters.learningRate}", "--layers=${trialParameters.numLayers}", "--opt=${trialParameters.optimizer}"]
        """);
}
