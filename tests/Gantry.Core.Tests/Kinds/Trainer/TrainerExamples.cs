using System.Text.Json.Nodes;
using Gantry.Core.Kinds.Trainer;
using Gantry.Core.Tests.Support;

namespace Gantry.Core.Tests.Kinds.Trainer;

/// <summary>Upstream's TrainJobs and runtimes in shared/examples/trainer.</summary>
internal static class TrainerExamples
{
    private const string Operator = "trainer";

    public static IReadOnlyList<JsonObject> All => [.. ExampleManifests.FileNames(Operator).SelectMany(f => ExampleManifests.Load(Operator, f, "TrainJob", TrainingRuntime.ClusterKind, TrainingRuntime.NamespacedKind))];

    public static IReadOnlyList<TrainingRuntime> Runtimes =>
        [.. All.Where(o => o["kind"]?.ToString() is TrainingRuntime.ClusterKind or TrainingRuntime.NamespacedKind).Select(o => TrainingRuntime.FromObject(o)!)];

    public static TrainingRuntime Runtime(string name) => Runtimes.Single(r => r.Name == name);

    public static TheoryData<string> TrainJobFiles =>
        [.. ExampleManifests.FileNames(Operator).Where(f => ExampleManifests.Load(Operator, f, "TrainJob").Count > 0)];

    public static JsonObject TrainJob(string file) => ExampleManifests.Load(Operator, file, "TrainJob").Single();
}
