namespace Gantry.Core.Kinds;

/// <summary>A Training Operator <c>JAXJob</c>: Workers only, container <c>jax</c>; worker 0 hosts the coordinator.</summary>
public sealed class JaxJobKind(Resources.Resources containerDefault) : TrainingJobKind("jaxjobs", containerDefault)
{
    public JaxJobKind()
        : this(DefaultContainerRequest)
    {
    }

    public override string Name => "JAXJob";

    protected override string ReplicaSpecsField => "jaxReplicaSpecs";

    protected override IReadOnlyList<string> ReplicaTypes { get; } = ["Worker"];

    protected override string DefaultContainer => "jax";

    // Without a worker 0 there is no coordinator, so the job could never start.
    protected override string? ReplicaCountProblem(string type, long replicas) =>
        replicas < 1 ? "must be at least 1" : null;
}
