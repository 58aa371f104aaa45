using System.Collections.Frozen;

namespace Gantry.Backends.Kubernetes;

/// <summary>The kinds the Kubernetes backend runs, by manifest kind.</summary>
internal static class Workloads
{
    public static IReadOnlyList<Workload> All { get; } =
        [new SparkApplicationWorkload(), TrainingJobWorkload.PyTorch, TrainingJobWorkload.Jax, new TrainJobWorkload(), new BatchJobWorkload()];

    private static readonly FrozenDictionary<string, Workload> ByKind = All.ToFrozenDictionary(w => w.Kind, StringComparer.Ordinal);

    public static Workload? Find(string kind) => ByKind.GetValueOrDefault(kind);
}
