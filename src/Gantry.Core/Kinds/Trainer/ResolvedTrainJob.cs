using Gantry.Core.Resources;

namespace Gantry.Core.Kinds.Trainer;

/// <summary>
/// A TrainJob resolved against one cluster's runtime: the JobSet's replicated jobs as the Trainer
/// controller would build them, and the gang demand Gantry places.
/// </summary>
public sealed record ResolvedTrainJob(string JobName, TrainingRuntime Runtime, MlPolicy Policy, IReadOnlyList<TrainerStep> Steps)
{
    /// <summary>The trainer-ancestor step (<c>node</c>; the <c>launcher</c> under MPI).</summary>
    public TrainerStep? Trainer => Steps.FirstOrDefault(s => s.Ancestor == TrainerStep.TrainerAncestor);

    /// <summary>The pods that run the training: the trainer step, and under MPI the <c>node</c> step too.</summary>
    public TrainerStep? Nodes => Policy.IsMpi ? Steps.FirstOrDefault(s => s.Name == "node" && s.Ancestor is null) ?? Trainer : Trainer;

    /// <summary>Trainer pods (numNodes), as PET_NNODES and JAX_NUM_PROCESSES count them.</summary>
    public int NumNodes => Trainer?.Pods ?? 0;

    /// <summary>Whether the trainer step waits for initializer steps to complete (then the two stages never overlap).</summary>
    public bool Staged =>
        Trainer is { } trainer && Steps.Where(s => s.IsInitializer).All(s => trainer.DependsOn.TryGetValue(s.Name, out var status) && status == "Complete")
        && Steps.Any(s => s.IsInitializer);

    /// <summary>Every pod of every step: what upstream's PodGroup and Kueue reserve.</summary>
    public Resources.Resources Sum => Steps.Aggregate(Resources.Resources.Zero, (sum, s) => sum + (s.PerPod * s.Pods));

    /// <summary>
    /// The gang Gantry places. Steps run at once unless the trainer waits for the initializers
    /// (<c>dependsOn ... Complete</c>); then the peak is the larger stage: the initializers alone or
    /// the rest. When neither stage's total fits within the other's (one needs more memory, the other
    /// GPUs), both are counted, as upstream does, since one pod list cannot say "either".
    /// </summary>
    public ResourceDemand Demand()
    {
        var all = Steps.Where(s => s.Pods > 0).Select(s => new PodDemand(s.Name, s.Pods, s.PerPod)).ToList();
        if (!Staged)
        {
            return new ResourceDemand(all);
        }
        var initializers = all.Where(p => Steps.First(s => s.Name == p.Role).IsInitializer).ToList();
        var rest = all.Except(initializers).ToList();
        var initTotal = initializers.Aggregate(Resources.Resources.Zero, (sum, p) => sum + p.Total);
        var restTotal = rest.Aggregate(Resources.Resources.Zero, (sum, p) => sum + p.Total);
        if (initTotal.FitsIn(restTotal))
        {
            return new ResourceDemand(rest);
        }
        return restTotal.FitsIn(initTotal) ? new ResourceDemand(initializers) : new ResourceDemand(all);
    }
}
